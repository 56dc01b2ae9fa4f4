import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deviceSerial, generateDevicesCsv } from '../support/device-csv'
import { expect, test, type AppHarness } from './support/fixtures'
import { seedTenant } from './support/scenes'

const COVERED = 1000
const COVERAGE_PER_DEVICE = 3
const UNCOVERED = 100
/** After the header, a row per coverage record, then a row per uncovered device. */
const BROKEN_LINE = 1 + COVERED * COVERAGE_PER_DEVICE + UNCOVERED + 1

/** 1,000 devices with coverage, 100 without, and one row without a serial. */
function writeCsv(app: AppHarness): string {
  const covered = generateDevicesCsv(COVERED, COVERAGE_PER_DEVICE).trimEnd().split('\r\n')
  const uncovered = generateDevicesCsv(COVERED + UNCOVERED, 0)
    .trimEnd()
    .split('\r\n')
    .slice(COVERED + 1)
  const broken = ['', 'Apple', 'Mystery Mac', 'Mac'].join(',')
  const path = join(app.dir, 'devices.csv')
  writeFileSync(path, [...covered, ...uncovered, broken].join('\r\n') + '\r\n')
  return path
}

test('imports a CSV, counts devices in tiles that filter, searches, and pages while scrolling', async ({
  app,
}) => {
  const { page } = app
  const { tenantId } = (await seedTenant(app, 'Northwind Traders')).credential
  await app.open()
  await expect(page.getByRole('heading', { name: 'No devices yet' })).toBeVisible()
  await expect(page.getByText('ABM Warranty')).toBeVisible()

  app.dialogs.pickNext(writeCsv(app))
  await page.getByRole('button', { name: 'Import CSV…' }).first().click()
  const report = page.getByRole('status').filter({ hasText: 'Imported' })
  await expect(report).toContainText(`${(COVERED + UNCOVERED).toLocaleString('en-US')} devices`)
  await expect(report).toContainText('1 row skipped')
  await expect(report.getByText(`Line ${BROKEN_LINE}: missing serial number`)).toBeVisible()
  // The reasons are a region the keyboard reaches (to scroll it), and can be copied.
  const skipped = report.getByRole('region', { name: 'Skipped rows' })
  await skipped.focus()
  await expect(skipped).toBeFocused()
  await expect(report.getByRole('button', { name: "Copy the skipped rows' reasons" })).toBeVisible()

  const counts = await app.call('deviceCounts', { tenantId })
  expect(counts.devices).toBe(COVERED + UNCOVERED)
  // Devices whose only coverage was canceled count as "no data" too.
  expect(counts.noData).toBeGreaterThanOrEqual(UNCOVERED)
  const tiles = page.getByRole('group', { name: 'Filter devices by coverage' })
  const tile = (label: string) => tiles.getByRole('button', { name: new RegExp(`${label}$`) })
  await expect(tile('Devices')).toHaveAccessibleName(
    `${counts.devices.toLocaleString('en-US')} Devices`,
  )
  await expect(tile('In coverage')).toContainText(counts.inCoverage.toLocaleString('en-US'))
  await expect(tile('Expiring within 90 days')).toContainText(String(counts.expiringSoon))
  await expect(tile('Expired')).toContainText(counts.expired.toLocaleString('en-US'))
  await expect(tile('No data')).toContainText(String(counts.noData))
  await app.screenshot('devices')

  // A tile filters the table to what it counts.
  await tile('Expired').click()
  await expect(tile('Expired')).toHaveAttribute('aria-pressed', 'true')
  const table = page.getByRole('table', { name: 'Devices' })
  await expect(table).toHaveAttribute('aria-rowcount', String(counts.expired + 1))
  await expect(table.getByRole('row').nth(1)).toContainText('Expired')
  await tile('No data').click()
  await expect(table).toHaveAttribute('aria-rowcount', String(counts.noData + 1))
  await expect(table.getByRole('row').nth(1)).toContainText('No data')
  await tile('No data').click()
  await expect(tile('Devices')).toHaveAttribute('aria-pressed', 'true')

  // Search narrows to one serial.
  const search = page.getByRole('searchbox', { name: 'Search devices' })
  await search.fill(deviceSerial(777))
  await expect(table).toHaveAttribute('aria-rowcount', '2')
  await expect(table.getByRole('row').nth(1)).toContainText(deviceSerial(777))
  await search.fill('NO-SUCH-DEVICE')
  await expect(page.getByRole('status').filter({ hasText: 'No device matches' })).toHaveText(
    'No device matches "NO-SUCH-DEVICE". Show all devices',
  )
  await page.getByRole('button', { name: 'Show all devices' }).click()
  await expect(search).toHaveValue('')
  await expect(table).toHaveAttribute('aria-rowcount', String(counts.devices + 1))

  // Only the first page is in the table until the user scrolls to the end.
  const lastRow = table.locator(`[role="row"][aria-rowindex="${counts.devices + 1}"]`)
  await expect(lastRow).toHaveCount(0)
  await table.locator('.device-table-scroll').evaluate((element) => {
    element.scrollTop = element.scrollHeight
  })
  const [last] = await app.call('queryDevices', {
    tenantId,
    filter: 'all',
    search: '',
    cursor: { from: 'end' },
    limit: 1,
  })
  await expect(lastRow).toContainText(last!.serial)
})
