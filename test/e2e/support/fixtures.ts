// Test-only Playwright fixtures. Per test: a fresh data folder, a keychain service of its own in
// the test keyring, a loopback "Apple" OAuth server, the real services, the API server and a page
// wired to it. After each test, nothing main sent to the page may hold private key material.
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import type { MethodName, MethodOutput } from '../../../preload/contract'
import type { Scope } from '../../../preload/model'
import { PolicyFileSource } from '../../../main/managed/file-source'
import { CONTENT_SECURITY_POLICY } from '../../../main/security/csp'
import { OPENING_DRAWN_AGAIN } from '../../../preload/boot'
import { createServices, type AppServices } from '../../../main/services'
import { importWorkerBeside, keyWorkerBeside } from '../../../main/worker-script'
import { API_URL_ENV } from '../../../main/sync/api-base'
import { startAppleApiFake, type AppleApiFake, type FakeOrg } from '../../support/apple-api'
import {
  makeTestClient,
  startOAuthTestServer,
  type OAuthTestServer,
  type TestClient,
} from '../../support/oauth-server'
import { makeKeySet, TEST_PASSPHRASE, type TestKeySet } from '../../support/openssl-keys'
import { startApiServer, type ApiServer } from './api-server'
import { forwarderScript } from './forwarder'
import { SecretGuard } from './secret-guard'
import { TestPlatform } from './test-platform'

const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots')

export interface AppHarness {
  page: Page
  /** openssl-made keys of every format, shared by the tests of a worker. */
  keys: TestKeySet
  dir: string
  services: AppServices
  oauth: OAuthTestServer
  /** The stand-in OS file dialogs: queue what the next open/save dialog answers. */
  dialogs: TestPlatform
  guard: SecretGuard
  /** The managed-preferences file this test's services read (as AXM_MANAGED_PREFS would name). */
  managedPrefsPath: string
  /** Loads the app in the page, with window.api forwarded to this test's handlers. */
  open(): Promise<void>
  /** A new API account that the loopback Apple knows, its key guarded. */
  newClient(scope?: Scope): TestClient
  /**
   * With `test.use({ appleApi: true })`: the loopback Apple API and token endpoint the services
   * use, and the organisation every newClient() belongs to (its devices are the test's to set).
   */
  apple: { fake: AppleApiFake; org: FakeOrg } | undefined
  /** Calls a handler directly to set a scene; throws with the app's message if it fails. */
  call<M extends MethodName>(name: M, input: unknown): Promise<MethodOutput<M>>
  screenshot(name: string): Promise<void>
}

export const test = base.extend<{ app: AppHarness; appleApi: boolean }, { keys: TestKeySet }>({
  appleApi: [false, { option: true }],

  keys: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => use(makeKeySet(10_000)),
    { scope: 'worker' },
  ],

  app: async ({ page, keys, appleApi }, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'axm-e2e-'))
    const managedPrefsPath = join(dir, 'managed-preferences.json')
    const guard = new SecretGuard()
    guard.protectPassphrase(TEST_PASSPHRASE)
    for (const path of [keys.pkcs8, keys.sec1, keys.rsa, keys.p384, keys.ed25519]) {
      guard.protectKeyFile(path)
    }
    guard.protectKeyFile(keys.encryptedPkcs8, TEST_PASSPHRASE)

    const oauth = await startOAuthTestServer()
    const fake = appleApi ? await startAppleApiFake() : undefined
    const apple = fake && { fake, org: fake.addOrg({ scope: 'business', devices: [] }) }
    const services = createServices({
      dataDir: join(dir, 'data'),
      tokenUrl: fake?.tokenUrl ?? oauth.url,
      keychainService: `AxM e2e ${randomUUID()}`,
      managedSources: [new PolicyFileSource(managedPrefsPath, { trustedOwnerUid: null })],
      // File imports run in a worker thread, as in the app.
      importWorker: importWorkerBeside(import.meta.url),
      keyWorker: keyWorkerBeside(import.meta.url),
      env: fake ? { ...process.env, [API_URL_ENV]: fake.apiUrl } : undefined,
      syncOptions: { retry: { baseMs: 50, capMs: 200 } },
    })
    await services.managed.refresh()
    const dialogs = new TestPlatform()
    const server: ApiServer = await startApiServer(services, dialogs, guard)

    // The page runs under the production CSP; anything it refuses is a bug in the renderer. And
    // the window takes over the screen main drew into the page as it is (hydration): a screen it
    // had to draw again means the two differed.
    const refused: string[] = []
    const drawnAgain: string[] = []
    page.on('console', (message) => {
      if (message.text().includes('Refused to')) refused.push(message.text())
      if (message.text().startsWith(OPENING_DRAWN_AGAIN)) drawnAgain.push(message.text())
    })

    const harness: AppHarness = {
      page,
      keys,
      dir,
      services,
      oauth,
      dialogs,
      guard,
      managedPrefsPath,
      async open() {
        const [install, args] = forwarderScript(server.token)
        await page.addInitScript(install, args)
        await page.goto(`${server.origin}/index.html`)
        const meta = page.locator('meta[http-equiv="Content-Security-Policy"]')
        await expect(meta).toHaveAttribute('content', CONTENT_SECURITY_POLICY)
      },
      apple,
      newClient(scope) {
        const client = makeTestClient(dir, scope)
        oauth.register(client)
        apple?.org.addClient(client)
        guard.protectKeyFile(client.keyPath)
        return client
      },
      async call(name, input) {
        const result = await server.call(name, input)
        if (!result.ok) throw new Error(`${name}: ${result.error.message}`)
        return result.value
      },
      async screenshot(name) {
        await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled' })
      },
    }
    try {
      await use(harness)
    } finally {
      await server.close()
      await oauth.close()
      await fake?.close()
      for (const account of await services.secrets.accounts()) {
        await services.secrets.delete(account)
      }
      await services.close()
    }
    expect(guard.violations, 'private key material reached the renderer').toEqual([])
    expect(refused, 'the page broke its Content Security Policy').toEqual([])
    expect(drawnAgain, 'the window drew the opening screen again').toEqual([])
  },
})

export { expect }
