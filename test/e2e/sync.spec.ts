// The live sync on the Devices screen, against the loopback Apple API: Sync Now with its progress,
// a rate-limit wait, the result and freshness line, the history, the device panel with Refresh,
// and Cancel. Every state passes axe, in light and dark.
import { makeFakeCoverage, makeFakeDevices } from '../support/apple-api'
import { expectAccessible } from './support/axe'
import { expect, test, type AppHarness } from './support/fixtures'
import { seedTenant } from './support/scenes'

test.use({ appleApi: true })

const DEVICES = 400

/** The organisation at Apple holds 400 devices with every kind of coverage. */
function stockApple(app: AppHarness): string[] {
  const apple = app.apple
  if (!apple) throw new Error('this spec needs the Apple API fake')
  const devices = makeFakeDevices(DEVICES, 3)
  const coverage = makeFakeCoverage(devices)
  for (const device of devices) {
    apple.org.add(device)
    const plan = coverage[device.attributes.serialNumber]
    if (plan) apple.org.setCoverage(device.attributes.serialNumber, plan)
  }
  return devices.map((device) => device.attributes.serialNumber)
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`Sync Now shows its progress, waits out a rate limit, and ends with history and a device panel (${colorScheme})`, async ({
    app,
  }) => {
    const { page } = app
    const light = colorScheme === 'light'
    await page.emulateMedia({ colorScheme })
    const serials = stockApple(app)
    const { credential } = await seedTenant(app, 'Northwind Traders')
    const fake = app.apple?.fake
    if (!fake) throw new Error('no fake')
    fake.latencyMs = 8
    // One device is throttled once, with a wait long enough to be seen.
    fake.faults.add({ route: 'coverage', serial: serials[150], status: 429, retryAfter: 6 })
    await app.open()
    await expect(page.getByRole('heading', { name: 'No devices yet' })).toBeVisible()
    await expect(page.getByText('Never synced from Apple.')).toBeVisible()

    await page.getByRole('button', { name: 'Sync Now' }).first().click()
    const progress = page.getByRole('status').filter({ hasText: 'Full sync running' })
    await expect(progress).toContainText('AppleCare coverage:')
    await expect(page.getByRole('button', { name: 'Sync Now' }).first()).toBeDisabled()
    if (light) {
      await expect(progress).toContainText(/AppleCare coverage: [1-3]\d\d of 400 devices/)
      await app.screenshot('sync-progress')
    }
    await expectAccessible(page, `a running sync (${colorScheme})`)

    await expect(progress).toContainText("Waiting for Apple's rate limit: going on in", {
      timeout: 30_000,
    })
    if (light) await app.screenshot('sync-rate-limit')
    await expectAccessible(page, `a rate-limit wait (${colorScheme})`)

    const done = page.getByRole('status').filter({ hasText: 'Sync complete.' })
    await expect(done).toContainText(`${DEVICES} devices listed (${DEVICES} new`, {
      timeout: 60_000,
    })
    await expect(
      page.getByText(/Last synced just now by Northwind Traders \(full sync, complete\)/),
    ).toBeVisible()
    const tiles = page.getByRole('group', { name: 'Filter devices by coverage' })
    await expect(tiles.getByRole('button', { name: /^400 Devices$/ })).toBeVisible()
    await expectAccessible(page, `a finished sync (${colorScheme})`)
    if (light) await app.screenshot('sync-complete')

    await page.getByRole('button', { name: 'Sync history' }).click()
    const history = page.getByRole('dialog', { name: 'Sync history' })
    await expect(history.getByRole('row')).toHaveCount(2)
    const run = history.getByRole('row').nth(1)
    await expect(run).toContainText('Full sync')
    await expect(run).toContainText('Complete')
    await expect(run).toContainText(`${DEVICES} listed, ${DEVICES} new`)
    await expect(run).toContainText('1 rate-limit wait')
    await expect(run).toContainText('Northwind Traders')
    await expectAccessible(page, `the sync history (${colorScheme})`)
    if (light) await app.screenshot('sync-history')
    await history.getByRole('button', { name: 'Close' }).last().click()

    // Devices with an AppleCare+ plan and an expired warranty: the fixture's second kind.
    const serial = serials[1] as string
    await page.getByRole('searchbox', { name: 'Search devices' }).fill(serial)
    await page.getByRole('button', { name: `${serial}: show device details` }).click()
    const panel = page.getByRole('dialog', { name: `Device ${serial}` })
    await expect(panel.getByRole('heading', { name: 'AppleCare coverage' })).toBeVisible()
    await expect(panel.getByText('Apple reported the coverage below.')).toBeVisible()
    await expect(
      panel.getByRole('region', { name: 'Coverage history' }).getByRole('row'),
    ).toHaveCount(3)
    await panel.getByRole('button', { name: 'Refresh from Apple' }).click()
    await expect(panel.getByRole('status')).toHaveText('Refreshed from Apple.')
    await expectAccessible(page, `the device panel (${colorScheme})`)
    if (light) await app.screenshot('device-detail')
    await panel.getByRole('button', { name: 'Close' }).last().click()
    await expect(panel).toBeHidden()

    const runs = await app.call('syncHistory', { tenantId: credential.tenantId })
    expect(runs.map((r) => [r.kind, r.status])).toEqual([
      ['device', 'complete'],
      ['full', 'complete'],
    ])
  })
}

test('Cancel stops a sync, says how to go on, and the next Sync Now continues it', async ({
  app,
}) => {
  const { page } = app
  stockApple(app)
  const { credential } = await seedTenant(app, 'Contoso')
  const fake = app.apple?.fake
  if (!fake) throw new Error('no fake')
  // Slow enough that the run is still going when Cancel is pressed.
  fake.latencyMs = 30
  await app.open()
  await page.getByRole('button', { name: 'Sync Now' }).first().click()
  const progress = page.getByRole('status').filter({ hasText: 'Full sync running' })
  await expect(progress).toContainText('AppleCare coverage:')
  await progress.getByRole('button', { name: 'Cancel Sync' }).click()
  const ended = page.getByRole('status').filter({ hasText: 'The sync did not finish.' })
  await expect(ended).toContainText('The sync was canceled.')
  await expect(ended).toContainText('Sync again to continue where it stopped.')

  fake.latencyMs = 0
  await page.getByRole('button', { name: 'Sync Now' }).first().click()
  await expect(page.getByRole('status').filter({ hasText: 'Sync complete.' })).toBeVisible({
    timeout: 60_000,
  })
  const runs = await app.call('syncHistory', { tenantId: credential.tenantId })
  expect(runs).toHaveLength(1)
  expect(runs[0]?.status).toBe('complete')
})
