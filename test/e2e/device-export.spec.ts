// Exporting a large tenant: the Devices screen shows how many devices are written of how many,
// with a Cancel that leaves no file (not even a part of one); an export left to run says what it
// wrote. Light and dark pass axe while it runs.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { tenantDbPath } from '../../main/paths'
import { fillDevices } from '../support/device-fill'
import { expectAccessible } from './support/axe'
import { expect, test } from './support/fixtures'
import { seedTenant } from './support/scenes'

// Enough rows that an export runs for seconds, well past a click on Cancel.
const DEVICES = 500_000

test('shows an export’s progress, cancels it without a file, then exports in full', async ({
  app,
}) => {
  const { page } = app
  const { tenantId } = (await seedTenant(app, 'Export Progress Inc')).credential
  fillDevices(tenantDbPath(join(app.dir, 'data'), tenantId), DEVICES)
  await app.open()
  const table = page.getByRole('table', { name: 'Devices' })
  await expect(table).toHaveAttribute('aria-rowcount', String(DEVICES + 1))
  const exportButton = page.getByRole('button', { name: 'Export CSV…' })
  const progress = page.getByRole('status', { name: 'Export progress' })
  const total = DEVICES.toLocaleString('en-US')

  // Cancel, pressed while the export runs, leaves no file and no part of one.
  const canceledPath = join(app.dir, 'canceled.csv')
  app.dialogs.saveNext(canceledPath)
  await exportButton.click()
  await progress.getByRole('button', { name: 'Cancel export' }).click()
  await expect(page.getByText('The export was canceled. No file was written.')).toBeVisible()
  await expect(progress).toHaveCount(0)
  expect(existsSync(canceledPath)).toBe(false)
  expect(readdirSync(app.dir).filter((name) => name.includes('canceled'))).toEqual([])

  // An export left to run: its answer is held back from the page until the screen is looked at,
  // so the progress line stays up at its last count however fast the export was.
  let release: () => void = () => {}
  const released = new Promise<void>((resolve) => (release = resolve))
  await page.route('**/__api/exportDevicesCsv', async (route) => {
    const response = await route.fetch()
    await released
    await route.fulfill({ response })
  })
  const path = join(app.dir, 'devices.csv')
  app.dialogs.saveNext(path)
  await exportButton.click()
  await expect(progress).toContainText(`${total} of ${total} devices written (${total} rows)`, {
    timeout: 90_000,
  })
  await expect(progress.getByRole('progressbar', { name: 'Devices written' })).toHaveAttribute(
    'max',
    String(DEVICES),
  )
  await app.screenshot('devices-export-progress')
  await expectAccessible(page, 'an export running (light)')
  await page.emulateMedia({ colorScheme: 'dark' })
  await expectAccessible(page, 'an export running (dark)')
  release()
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toContainText(
    `Exported ${total} devices`,
  )
  await expect(progress).toHaveCount(0)
  expect(existsSync(path)).toBe(true)
})
