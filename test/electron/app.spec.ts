// Launches the built app in Electron and checks the wiring the Chromium e2e suite cannot see:
// the hardened window, the preload bridge and a real IPC round trip.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'

test('the window is sandboxed and talks to main only through window.api', async () => {
  const userData = mkdtempSync(join(tmpdir(), 'axm-electron-'))
  const app = await electron.launch({ args: ['.', `--user-data-dir=${userData}`] })
  const page = await app.firstWindow()
  await expect(page.getByRole('heading', { name: 'API Information' })).toBeVisible()
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
    'undefined',
  )
  expect(page.url()).toBe('app://renderer/index.html')
  const tenants = await page.evaluate(() =>
    (
      globalThis as unknown as { api: { listTenants(i: object): Promise<unknown> } }
    ).api.listTenants({}),
  )
  expect(tenants).toEqual({ ok: true, value: [] })
  await app.close()
})
