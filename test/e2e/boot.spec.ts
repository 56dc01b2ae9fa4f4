import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Route } from '@playwright/test'
import { BOOT_INPUTS } from '../../preload/boot'
import { tenantDbPath } from '../../main/paths'
import { fillDevices, filledSerial } from '../support/device-fill'
import { RENDERER_DIR, SECURITY_HEADERS } from './support/api-server'
import { expect, test } from './support/fixtures'
import { pushManaged, seedTenant } from './support/scenes'

const DEVICES = 1000

test('the app opens drawn by main: the page it serves holds the first screen, and the window asks nothing to show it', async ({
  app,
}) => {
  const { page } = app
  const { tenantId } = (await seedTenant(app, 'Northwind Traders')).credential
  fillDevices(tenantDbPath(join(app.dir, 'data'), tenantId), DEVICES)
  const asked: string[] = []
  await page.route('**/__api/**', (route) => {
    asked.push(new URL(route.request().url()).pathname.replace('/__api/', ''))
    return route.continue()
  })

  const served = page.waitForResponse((response) => response.url().endsWith('/index.html'))
  await app.open()
  // The page as main serves it: the first rows, the tiles' counts and the sync line, before any
  // of the renderer's scripts has run.
  const markup = await (await served).text()
  const devices = DEVICES.toLocaleString('en-US')
  for (const text of [filledSerial(0), `${devices} devices`, 'Never synced from Apple.']) {
    expect(markup).toContain(text)
  }
  const table = page.getByRole('table', { name: 'Devices' })
  await expect(table.getByRole('row').nth(1)).toContainText(filledSerial(0))
  await expect(page.getByText(`${devices} devices`, { exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: `${devices} Devices` })).toBeVisible()
  await expect(page.getByText('Never synced from Apple.')).toBeVisible()

  // The window took the screen over (the fixture checks it was not drawn again): a tile asks main
  // for its devices, and shows what main answers. Nothing else was asked, before or since.
  await page.getByRole('button', { name: /Expired/ }).click()
  await expect(table).toHaveAttribute('aria-rowcount', String(0.7 * DEVICES + 1))
  expect([...asked].sort()).toEqual(['countDeviceView', 'queryDevices'])
})

test('a page without main’s answers (as the dev server serves it) asks main for them, each once', async ({
  app,
}) => {
  const { page } = app
  const { tenantId } = (await seedTenant(app, 'Northwind Traders')).credential
  fillDevices(tenantDbPath(join(app.dir, 'data'), tenantId), DEVICES)
  const built = readFileSync(join(RENDERER_DIR, 'index.html'), 'utf8')
  await page.route('**/index.html', (route) =>
    route.fulfill({ body: built, contentType: 'text/html', headers: SECURITY_HEADERS }),
  )
  const asked: string[] = []
  await page.route('**/__api/**', (route) => {
    asked.push(new URL(route.request().url()).pathname.replace('/__api/', ''))
    return route.continue()
  })

  await app.open()
  const table = page.getByRole('table', { name: 'Devices' })
  await expect(table.getByRole('row').nth(1)).toContainText(filledSerial(0))
  await expect(
    page.getByText(`${DEVICES.toLocaleString('en-US')} devices`, { exact: true }),
  ).toBeVisible()
  expect([...asked].sort()).toEqual(Object.keys(BOOT_INPUTS).sort())
})

test('what main pushes while the page loads is not lost', async ({ app }) => {
  const { page } = app
  // The page, with main's answers in it, arrives; its scripts are held, so nothing listens yet.
  const heldScripts: Route[] = []
  let holding = true
  await page.route('**/assets/*.js', (route) =>
    holding ? void heldScripts.push(route) : route.continue(),
  )
  const opened = app.open()
  await expect.poll(() => heldScripts.length).toBeGreaterThan(0)

  // Main's answer said no managed credential waits; then one arrives, and main says so.
  const emitted = new Promise<void>((resolve) => {
    const stop = app.dialogs.subscribe((event) => {
      if (event !== 'managedChanged') return
      stop()
      resolve()
    })
  })
  pushManaged(app, [{ id: 'mdm-late', name: 'Late (MDM)', client: app.newClient() }])
  await emitted
  holding = false
  for (const route of heldScripts) await route.continue()
  await opened

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
