import { join } from 'node:path'
import type { Route } from '@playwright/test'
import type { Api } from '../../preload/contract'
import { tenantDbPath } from '../../main/paths'
import { fillDevices, filledSerial } from '../support/device-fill'
import { expect, test } from './support/fixtures'
import { pushManaged, seedTenant } from './support/scenes'

const DEVICES = 1000

test('the boot asks main for each thing once, and for independent things at the same time', async ({
  app,
}) => {
  const { page } = app
  const { tenantId } = (await seedTenant(app, 'Northwind Traders')).credential
  fillDevices(tenantDbPath(join(app.dir, 'data'), tenantId), DEVICES)

  // Every call the page makes is held here until the test lets it through: while one is held,
  // a call that waited for it could not have been made yet.
  const asked: string[] = []
  const held = new Map<string, Route>()
  await page.route('**/__api/**', (route) => {
    const method = new URL(route.request().url()).pathname.replace('/__api/', '')
    asked.push(method)
    held.set(method, route)
  })
  const release = async (methods: string[]) => {
    await expect.poll(() => [...held.keys()].sort()).toEqual([...methods].sort())
    const routes = methods.map((method) => held.get(method))
    held.clear()
    for (const route of routes) await route?.continue()
  }

  await app.open()
  // What the app needs before any screen, all at once, and with it the whole screen it opens on:
  // its first rows, the tiles' counts and the sync line, drawn in one render.
  await release(['listTenants', 'listCredentials', 'managedState', 'openingDevices'])
  const table = page.getByRole('table', { name: 'Devices' })
  await expect(table.getByRole('row').nth(1)).toContainText(filledSerial(0))
  await expect(
    page.getByText(`${DEVICES.toLocaleString('en-US')} devices`, { exact: true }),
  ).toBeVisible()
  await expect(
    page.getByRole('button', { name: `${DEVICES.toLocaleString('en-US')} Devices` }),
  ).toBeVisible()
  await expect(page.getByText('Never synced from Apple.')).toBeVisible()
  // Nothing was asked twice (the boot's rows, counts and overview are not asked again), and
  // nothing more.
  expect(held.size).toBe(0)
  expect([...asked].sort()).toEqual(
    ['listTenants', 'listCredentials', 'managedState', 'openingDevices'].sort(),
  )
})

test('what main pushes while the boot is waiting for its answers is not lost', async ({ app }) => {
  const { page } = app
  // Main answers the boot at once; the page gets the answers when the test lets them through.
  const held: Array<() => Promise<void>> = []
  let released = false
  await page.route('**/__api/**', async (route) => {
    if (released) return route.continue()
    const response = await route.fetch()
    held.push(() => route.fulfill({ response }))
  })
  await app.open()
  await expect.poll(() => held.length).toBe(4)

  // Main answered that no managed credential waits; then one arrives, and main says so.
  const heard = page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const stop = (globalThis as unknown as { api: Api }).api.on('managedChanged', () => {
          stop()
          resolve()
        })
      }),
  )
  pushManaged(app, [{ id: 'mdm-late', name: 'Late (MDM)', client: app.newClient() }])
  await heard
  released = true
  for (const fulfill of held) await fulfill()

  await expect(page.getByRole('region', { name: 'Managed credentials' })).toContainText(
    '1 managed credential is ready to import',
  )
})

test('opens on the tenant the admin last opened, with that tenant’s devices', async ({ app }) => {
  const { page } = app
  await seedTenant(app, 'Alpha Trading', 3)
  const zulu = (await seedTenant(app, 'Zulu Academy', 5)).credential
  await app.open()
  const screen = page.getByRole('main')
  const table = page.getByRole('table', { name: 'Devices' })
  // Never opened one yet: the first by name.
  await expect(screen.getByText('Alpha Trading', { exact: true })).toBeVisible()
  await expect(table).toHaveAttribute('aria-rowcount', '4')

  await page
    .getByRole('region', { name: 'Tenants' })
    .getByRole('button', { name: /Zulu Academy/ })
    .click()
  await expect(table).toHaveAttribute('aria-rowcount', '6')
  await expect.poll(() => app.services.vault.openingTenant()?.id).toBe(zulu.tenantId)

  // The next start opens where the admin left off, the boot's answers drawn for that tenant.
  await app.open()
  await expect(screen.getByText('Zulu Academy', { exact: true })).toBeVisible()
  await expect(table).toHaveAttribute('aria-rowcount', '6')
  await expect(
    page.getByRole('region', { name: 'Tenants' }).getByRole('button', { name: /Zulu Academy/ }),
  ).toHaveAttribute('aria-current', 'true')
})
