import { join } from 'node:path'
import { tenantDbPath } from '../../main/paths'
import { fillDevices, filledSerial as serialOf } from '../support/device-fill'
import { expect, test } from './support/fixtures'
import { seedTenant } from './support/scenes'

const DEVICES = 1_000_000

test('scrolls a table of 1,000,000 devices to its last row, and to the middle', async ({ app }) => {
  const { page } = app
  const { tenantId } = (await seedTenant(app, 'Statewide Schools')).credential
  fillDevices(tenantDbPath(join(app.dir, 'data'), tenantId), DEVICES)
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
