import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { tenantDbPath } from '../../main/paths'
import { expect, test } from './support/fixtures'
import { seedTenant } from './support/scenes'

const DEVICES = 1_000_000
const serialOf = (index: number): string => `D${String(index).padStart(7, '0')}`

/**
 * Fills the tenant's database with DEVICES devices in one INSERT … SELECT over a recursive CTE, a
 * few seconds instead of a minute of CSV. The trigram index's triggers are set aside meanwhile and
 * put back after (this test does not search); the generation triggers stay.
 */
function fillDevices(path: string): void {
  const db = new DatabaseSync(path)
  try {
    const searchTriggers = db
      .prepare(
        `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'devices_search_%'`,
      )
      .all()
    db.exec('BEGIN')
    for (const { name } of searchTriggers) db.exec(`DROP TRIGGER ${String(name)}`)
    db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${DEVICES - 1})
      INSERT INTO devices (serial, model, family, first_seen, last_seen, best_coverage_end,
        best_coverage_description)
      SELECT printf('D%07d', i), 'Mac mini (2023)', 'Mac', '2025-01-01', '2025-01-01',
        printf('%04d-06-30', 2020 + i % 10), 'AppleCare+' FROM n`)
    for (const { sql } of searchTriggers) db.exec(String(sql))
    db.exec('COMMIT')
  } finally {
    db.close()
  }
}

test('scrolls a table of 1,000,000 devices to its last row, and to the middle', async ({ app }) => {
  const { page } = app
  const { tenantId } = (await seedTenant(app, 'Statewide Schools')).credential
  fillDevices(tenantDbPath(join(app.dir, 'data'), tenantId))
  await app.open()

  const table = page.getByRole('table', { name: 'Devices' })
  await expect(table).toHaveAttribute('aria-rowcount', String(DEVICES + 1))
  const scroller = table.locator('.device-table-scroll')
  // 1,000,000 rows of 36 px would be 36 million pixels: more than Chromium lays out.
  const scrollHeight = await scroller.evaluate((element) => element.scrollHeight)
  expect(scrollHeight).toBeLessThan(33_554_432)

  await scroller.evaluate((element) => {
    element.scrollTop = element.scrollHeight
  })
  const lastRow = table.locator(`[role="row"][aria-rowindex="${DEVICES + 1}"]`)
  await expect(lastRow).toContainText(serialOf(DEVICES - 1))
  await expect(lastRow).toBeInViewport()

  // Half-way down the scroll bar is half-way down the devices.
  await scroller.evaluate((element) => {
    element.scrollTop = (element.scrollHeight - element.clientHeight) / 2
  })
  const middle = table.locator('[role="row"][aria-rowindex]').filter({ hasText: /^D0(49|50)\d{4}/ })
  await expect(middle.first()).toBeVisible()
})
