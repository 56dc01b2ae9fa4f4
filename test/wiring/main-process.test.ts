// The BUILT main process (out/main/index.js) in Node with the electron stand-in: what it asks of
// Electron before and after 'ready', the renderer it serves, the IPC it answers and to whom, the
// window's hardening and lifecycle, quitting, and what a user sees when it cannot start.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { contract, eventChannel, invokeChannel } from '../../preload/contract'
import type { Opening } from '../../preload/boot'
import { CONTENT_SECURITY_POLICY } from '../../main/security/csp'
import { startConnectProxy } from '../support/connect-proxy'
import { generateDevicesCsv } from '../support/device-csv'
import { makeFakeCoverage, makeFakeDevices, startAppleApiFake } from '../support/apple-api'
import { makeTestClient, startOAuthTestServer } from '../support/oauth-server'
import {
  encryptPkcs8,
  makeP256Key,
  opensslFingerprint,
  TEST_PASSPHRASE,
} from '../support/openssl-keys'
import {
  AppProcess,
  builtMain,
  builtPreload,
  coverageDir,
  type AppOptions,
} from './support/app-process'
import { calledFunctions, functionsOf } from './support/function-coverage'
import { makeSandbox, newCredentialArgs, runBuiltCli, type Sandbox } from './support/sandbox'

let sandbox: Sandbox
let app: AppProcess | undefined

async function start(options: Omit<AppOptions, 'userData'> = {}): Promise<AppProcess> {
  sandbox = makeSandbox()
  app = await AppProcess.started({ userData: sandbox.userData, ...options })
  return app
}

afterEach(async () => {
  await app?.stop()
  app = undefined
  sandbox?.remove()
})

// The Electron wiring is the modules only these tests can run: each of their functions must have
// run by the end of this file (so run the whole file, not a filtered part of it).
const WIRING = /^main\/(index\.ts|ipc\/register\.ts|security\/|app\/)/
afterAll(() => {
  const called = calledFunctions(coverageDir(), builtMain)
  rmSync(coverageDir(), { recursive: true })
  const wiring = functionsOf(builtMain).filter((fn) => WIRING.test(fn.module))
  expect(wiring.length).toBeGreaterThan(30)
  expect(wiring.map((fn) => `${fn.module} ${fn.label}`).filter((fn) => !called.has(fn))).toEqual([])
})

/** The value of a successful call, typed as the test expects it. */
async function valueOf<T>(result: Promise<unknown>): Promise<T> {
  const answer = (await result) as { ok: boolean; value: T }
  expect(answer.ok).toBe(true)
  return answer.value
}

const untrusted = { ok: false, error: { code: 'invalid_input', message: 'Untrusted sender.' } }

describe('start-up', () => {
  test('the app:// scheme is registered before ready; everything else waits for ready', async () => {
    sandbox = makeSandbox()
    app = await AppProcess.start({ userData: sandbox.userData })
    const before = await app.calls()
    expect(before.map((call) => call.api)).toEqual([
      'protocol.registerSchemesAsPrivileged',
      'app.setAppUserModelId',
      'app.requestSingleInstanceLock',
      'app.whenReady',
    ])
    expect(before[0]!.args).toEqual([
      [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
    ])
    await app.send({ type: 'ready' })
    const [window] = await app.waitFor('window.loadURL')
    expect(window!.args).toEqual(['app://renderer/index.html'])
    const after = (await app.calls()).slice(before.length)
    expect(after.every((call) => call.ready)).toBe(true)
    expect(after.map((call) => call.api)).toEqual(
      expect.arrayContaining(['protocol.handle', 'session.setPermissionRequestHandler']),
    )
  })

  test('the window is hardened and shown once ready to show; the menu has the Edit roles', async () => {
    await start()
    const [created] = await app!.calls('new BrowserWindow')
    expect(created!.args[0]).toMatchObject({
      show: false,
      webPreferences: {
        preload: builtPreload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
        devTools: true,
      },
    })
    expect(await app!.calls('window.show')).toEqual([])
    await app!.send({ type: 'window-event', window: 0, name: 'ready-to-show' })
    expect(await app!.calls('window.show')).toHaveLength(1)
    const [menu] = await app!.calls('Menu.buildFromTemplate')
    expect(menu!.args).toEqual([[{ role: 'editMenu' }]])
  })

  test('a packaged build has no DevTools; on macOS the menu adds the app and window menus', async () => {
    await start({ packaged: true, platform: 'darwin' })
    const [created] = await app!.calls('new BrowserWindow')
    expect(created!.args[0]).toMatchObject({ webPreferences: { devTools: false } })
    const [menu] = await app!.calls('Menu.buildFromTemplate')
    expect(menu!.args).toEqual([
      [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }],
    ])
  })
})

describe('the app:// protocol', () => {
  const fetchApp = (url: string) =>
    app!.send<{ status: number; headers: Record<string, string>; body: string }>({
      type: 'fetch',
      scheme: 'app',
      url,
    })

  test('serves the built renderer with the CSP header', async () => {
    await start()
    const index = await fetchApp('app://renderer/')
    expect(index.status).toBe(200)
    expect(index.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    })
    expect(index.body).toContain(`content="${CONTENT_SECURITY_POLICY}"`)
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(index.body)![1]!
    const asset = await fetchApp(`app://renderer/${script}`)
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8')
  })

  test('serves index.html with the screen the app opens on drawn in, from the boot answers, in the app locale', async () => {
    sandbox = makeSandbox()
    expect(runBuiltCli(sandbox, newCredentialArgs(sandbox, 'Opening School'))).toMatchObject({
      status: 0,
    })
    app = await AppProcess.started({ userData: sandbox.userData })
    const { body } = await fetchApp('app://renderer/index.html')
    const block = /<script type="application\/json" id="axm-opening">(.*?)<\/script>/.exec(body)
    const opening = JSON.parse(block![1]!) as Opening
    expect(opening.locale).toBe('en-GB')
    expect(opening.answers.listTenants).toEqual(await app.invoke('listTenants', {}))
    const root = /<div id="root">([\s\S]*?)<\/div>\s*<script/.exec(body)![1]!
    expect(root).toContain('Opening School')
    expect(root).not.toContain('Loading…')
    // Under the CSP nothing inline would run or apply.
    expect(root).not.toMatch(/<script| style="/)
  })

  test('what main sends while the page loads is sent again once it has loaded', async () => {
    await start()
    await fetchApp('app://renderer/index.html')
    writeFileSync(join(sandbox.dir, 'managed.json'), '{ not json')
    await app!.waitFor('webContents.send')
    const managedSent = async () =>
      (await app!.calls('webContents.send')).filter(
        (call) => call.args[1] === eventChannel('managedChanged'),
      )
    const loaded = () =>
      app!.send({
        type: 'contents-event',
        window: 0,
        name: 'did-finish-load',
        url: 'app://renderer/index.html',
      })
    expect(await managedSent()).toHaveLength(1)
    await loaded()
    expect(await managedSent()).toHaveLength(2)
    // Loaded, the page hears each event once.
    await loaded()
    expect(await managedSent()).toHaveLength(2)
  })

  test('refuses paths out of the renderer folder, other hosts and missing files', async () => {
    await start()
    for (const url of [
      'app://renderer/..%2F..%2Fpackage.json',
      'app://renderer/..%2Fmain%2Findex.js',
      'app://renderer/%00index.html',
      'app://renderer/%E0%A4%A',
      'app://other/index.html',
      'app://renderer/no-such-file.js',
    ]) {
      const response = await fetchApp(url)
      expect({ url, status: response.status, body: response.body }).toEqual({
        url,
        status: 404,
        body: 'Not found',
      })
    }
  })
})

describe('IPC', () => {
  test('one handler per contract method, each on its own channel', async () => {
    await start()
    const channels = (await app!.calls('ipcMain.handle')).map((call) => call.args[0])
    expect(channels).toEqual(Object.keys(contract).map((name) => invokeChannel(name as never)))
  })

  test("answers the app's main frame and refuses a subframe, another origin, a gone frame, a navigated page", async () => {
    await start()
    const ask = (frame: 'main' | 'subframe' | 'none', frameUrl?: string) =>
      app!.send({
        type: 'invoke',
        window: 0,
        channel: invokeChannel('listTenants'),
        frame,
        ...(frameUrl ? { frameUrl } : {}),
        input: {},
      })
    expect(await ask('main')).toEqual({ ok: true, value: [] })
    expect(await ask('subframe', 'app://renderer/index.html')).toEqual(untrusted)
    expect(await ask('subframe', 'https://example.com/')).toEqual(untrusted)
    expect(await ask('none')).toEqual(untrusted)
    await app!.send({ type: 'navigate-frame', window: 0, url: 'https://example.com/' })
    expect(await ask('main')).toEqual(untrusted)
    await app!.send({ type: 'navigate-frame', window: 0, url: 'app://other/index.html' })
    expect(await ask('main')).toEqual(untrusted)
  })
})

describe('worker threads', () => {
  test('a key given with a passphrase is decrypted off the main thread, by the build’s worker', async () => {
    await start()
    const plain = makeP256Key(sandbox.dir, 'plain.pem')
    // A KDF that takes a while (PBKDF2, 1,000,000 iterations): main answers others meanwhile.
    const encrypted = encryptPkcs8(plain, join(sandbox.dir, 'slow.pem'), TEST_PASSPHRASE, 1_000_000)
    const order: string[] = []
    const inspecting = app!
      .invoke('inspectKey', {
        key: { kind: 'text', text: readFileSync(encrypted, 'utf8') },
        passphrase: TEST_PASSPHRASE,
      })
      .finally(() => order.push('inspectKey'))
    const listing = app!.invoke('listTenants').finally(() => order.push('listTenants'))
    expect(await listing).toEqual({ ok: true, value: [] })
    expect(await inspecting).toEqual({
      ok: true,
      value: {
        format: 'encrypted-pkcs8',
        curve: 'P-256',
        publicKeyFingerprint: opensslFingerprint(plain),
      },
    })
    expect(order).toEqual(['listTenants', 'inspectKey'])
    // It was out/main/key-worker.js, not the fallback to the main thread.
    expect(app!.stderr).not.toContain('could not start')
  })
})

describe('web contents policy', () => {
  test('no new windows, no navigation or redirect away, no webviews', async () => {
    await start()
    const event = (name: string, url: string) =>
      app!.send<boolean>({ type: 'contents-event', window: 0, name, url })
    expect(
      await app!.send({ type: 'window-open', window: 0, url: 'https://example.com/' }),
    ).toEqual({ action: 'deny' })
    expect(await event('will-navigate', 'https://example.com/')).toBe(true)
    expect(await event('will-redirect', 'file:///etc/passwd')).toBe(true)
    expect(await event('will-navigate', 'app://renderer/index.html')).toBe(false)
    expect(await event('will-attach-webview', 'app://renderer/index.html')).toBe(true)
  })

  test("only clipboard-sanitized-write, only for the app's own main frame, by request and by check", async () => {
    await start()
    for (const type of ['permission-request', 'permission-check'] as const) {
      const ask = (permission: string, isMainFrame: boolean, requestingUrl: string) =>
        app!.send<boolean>({ type, window: 0, permission, isMainFrame, requestingUrl })
      expect(await ask('clipboard-sanitized-write', true, 'app://renderer/index.html')).toBe(true)
      expect(await ask('clipboard-sanitized-write', false, 'app://renderer/index.html')).toBe(false)
      expect(await ask('clipboard-sanitized-write', true, 'https://example.com/')).toBe(false)
      for (const permission of ['clipboard-read', 'notifications', 'media', 'openExternal']) {
        expect(await ask(permission, true, 'app://renderer/index.html')).toBe(false)
      }
    }
  })
})

describe('lifecycle', () => {
  test('macOS: closing the window keeps the app; activate and a second launch open one again', async () => {
    await start({ platform: 'darwin' })
    await app!.send({ type: 'close-window', window: 0 })
    await app!.send({ type: 'app-event', name: 'window-all-closed', args: [] })
    expect(await app!.calls('app.quit')).toEqual([])
    await app!.send({ type: 'app-event', name: 'activate', args: [false] })
    expect(await app!.calls('new BrowserWindow')).toHaveLength(2)
    // A second launch with the window open brings it forward, restored if minimized.
    await app!.send({ type: 'minimize-window', window: 1 })
    await app!.send({ type: 'app-event', name: 'second-instance', args: [[], '/'] })
    expect((await app!.calls()).slice(-2).map((call) => call.api)).toEqual([
      'window.restore',
      'window.focus',
    ])
    expect(await app!.calls('new BrowserWindow')).toHaveLength(2)
    await app!.send({ type: 'close-window', window: 1 })
    await app!.send({ type: 'app-event', name: 'second-instance', args: [[], '/'] })
    expect(await app!.calls('new BrowserWindow')).toHaveLength(3)
    expect(await app!.invoke('listTenants', {}, 2)).toEqual({ ok: true, value: [] })
  })

  test('elsewhere closing the last window quits', async () => {
    await start({ platform: 'linux' })
    await app!.send({ type: 'close-window', window: 0 })
    await app!.send({ type: 'app-event', name: 'window-all-closed', args: [] })
    expect(await app!.calls('app.quit')).toHaveLength(1)
  })

  test('events meant for a closed window are dropped; file dialogs open without a parent then', async () => {
    sandbox = makeSandbox()
    expect(runBuiltCli(sandbox, newCredentialArgs(sandbox, 'Closed Window School'))).toMatchObject({
      status: 0,
    })
    app = await AppProcess.started({ userData: sandbox.userData, platform: 'darwin' })
    const [tenant] = await valueOf<{ id: string }[]>(app.invoke('listTenants'))
    const csv = join(sandbox.dir, 'devices.csv')
    writeFileSync(csv, generateDevicesCsv(3, 1))
    // The user picks a file with the window open, closes the window, then the dialog answers.
    const imported = app.invoke('importDevicesCsv', { tenantId: tenant!.id })
    const [dialog] = await app.waitFor('dialog.showOpenDialog')
    expect(dialog!.args[0]).toEqual({ parent: 0 })
    await app.send({ type: 'close-window', window: 0 })
    await app.send({ type: 'answer-dialog', answer: { canceled: false, filePaths: [csv] } })
    expect(await imported).toMatchObject({ ok: true, value: { devices: 3 } })
    expect(await app.calls('webContents.send')).toEqual([])
    // With no window, dialogs have no parent; the window opened again gets the events.
    await app.send({ type: 'app-event', name: 'activate', args: [false] })
    const exported = app.invoke('exportDevicesCsv', { tenantId: tenant!.id }, 1)
    const saves = await app.waitFor('dialog.showSaveDialog')
    expect(saves[0]!.args[0]).toEqual({ parent: 1 })
    await app.send({ type: 'answer-dialog', answer: { canceled: true, filePath: '' } })
    expect(await exported).toEqual({ ok: true, value: null })
    expect(
      await app.invoke('renameCredential', { credentialId: 'none', name: 'x' }, 1),
    ).toMatchObject({ ok: false })
  })

  test('quitting stops the managed watch and closes every tenant database', async () => {
    sandbox = makeSandbox()
    expect(runBuiltCli(sandbox, newCredentialArgs(sandbox, 'Quit School')).status).toBe(0)
    app = await AppProcess.started({ userData: sandbox.userData })
    const [tenant] = await valueOf<{ id: string }[]>(app.invoke('listTenants'))
    await valueOf(app.invoke('deviceCounts', { tenantId: tenant!.id }))
    const wal = join(sandbox.userData, 'tenants', `${tenant!.id}.sqlite-wal`)
    expect(existsSync(wal)).toBe(true)
    await app.send({ type: 'app-event', name: 'will-quit', args: [] })
    // SQLite removes the WAL file when the last connection closes.
    expect(existsSync(wal)).toBe(false)
    // Nothing of the app's keeps running: the process ends by itself.
    await app.send({ type: 'release' })
    expect((await app.exited).code).toBe(0)
  })
})

describe('one state file for the app and the CLI', () => {
  test('the app (electron-store) and the CLI (conf) read and write the same config.json', async () => {
    sandbox = makeSandbox()
    expect(runBuiltCli(sandbox, newCredentialArgs(sandbox, 'Shared School')).status).toBe(0)
    app = await AppProcess.started({ userData: sandbox.userData })
    const listed = await valueOf<{ id: string; name: string }[]>(app.invoke('listCredentials'))
    expect(listed.map((credential) => credential.name)).toEqual(['Shared School'])
    const id = listed[0]!.id
    expect(
      await app.invoke('renameCredential', { credentialId: id, name: 'Renamed School' }),
    ).toMatchObject({ ok: true, value: { name: 'Renamed School' } })
    const cli = runBuiltCli(sandbox, ['list', '--json'])
    expect(JSON.parse(cli.stdout)).toMatchObject([{ id, name: 'Renamed School' }])
    expect(runBuiltCli(sandbox, newCredentialArgs(sandbox, 'Second School')).status).toBe(0)
    const both = await valueOf<{ name: string }[]>(app.invoke('listCredentials'))
    expect(both.map((credential) => credential.name).sort()).toEqual([
      'Renamed School',
      'Second School',
    ])
    expect(JSON.parse(readFileSync(join(sandbox.userData, 'config.json'), 'utf8'))).toMatchObject({
      schemaVersion: 1,
    })
  })
})

describe("requests to Apple and the system's proxy", () => {
  test('ask session.resolveProxy for the URL and go through the proxy it names', async () => {
    const proxy = await startConnectProxy()
    const oauth = await startOAuthTestServer()
    try {
      sandbox = makeSandbox()
      expect(runBuiltCli(sandbox, newCredentialArgs(sandbox, 'Proxy School')).status).toBe(0)
      app = await AppProcess.started({
        userData: sandbox.userData,
        env: {
          AXM_OAUTH_TOKEN_URL: oauth.url,
          AXM_WIRING_PROXY: `PROXY ${new URL(proxy.url).host}; DIRECT`,
        },
      })
      const [credential] = await valueOf<{ id: string }[]>(app.invoke('listCredentials'))
      const check = await valueOf<{ ok: boolean; message: string }>(
        app.invoke('testConnection', { credentialId: credential!.id }),
      )
      // Apple (the loopback server) was reached, through the tunnel, and refused the unknown key.
      expect(check.ok).toBe(false)
      expect(oauth.requests).toHaveLength(1)
      expect(proxy.tunnels).toEqual([new URL(oauth.url).host])
      const asked = (await app.calls()).filter((call) => call.api === 'session.resolveProxy')
      expect(asked.map((call) => call.args)).toEqual([[oauth.url]])
    } finally {
      await oauth.close()
      await proxy.close()
    }
  })
})

describe('quitting during a sync', () => {
  test('waits for the run to write its last batch, then quits', async () => {
    const fake = await startAppleApiFake({ latencyMs: 20 })
    try {
      sandbox = makeSandbox()
      const devices = makeFakeDevices(300, 4)
      const org = fake.addOrg({ scope: 'business', devices, coverage: makeFakeCoverage(devices) })
      const client = makeTestClient(sandbox.dir)
      org.addClient(client)
      const env = { AXM_OAUTH_TOKEN_URL: fake.tokenUrl, AXM_APPLE_API_URL: fake.apiUrl }
      const add = ['add', '--name', 'Quit Sync', '--client-id', client.clientId]
      expect(
        runBuiltCli(sandbox, [...add, '--key-id', client.keyId, '--key', client.keyPath], env)
          .status,
      ).toBe(0)
      app = await AppProcess.started({ userData: sandbox.userData, env })
      const [tenant] = await valueOf<{ id: string }[]>(app.invoke('listTenants'))
      await valueOf(app.invoke('startSync', { tenantId: tenant!.id, kind: 'full' }))
      while (fake.requests.filter((r) => r.route === 'coverage').length < 10) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      await app.send({ type: 'app-event', name: 'will-quit', args: [] })
      while (!(await app.calls()).some((call) => call.api === 'app.quit')) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const history = runBuiltCli(sandbox, ['sync', 'history', tenant!.id, '--json'], env)
      expect(JSON.parse(history.stdout)).toMatchObject([{ status: 'canceled', phase: 'coverage' }])
    } finally {
      await fake.close()
    }
  })
})

describe('without libsecret', () => {
  const noLibsecret = { AXM_WIRING_NO_LIBSECRET: '1' }

  test('the app starts and a keychain step says the keychain is unavailable', async () => {
    await start({ env: noLibsecret })
    expect(await app!.invoke('listTenants')).toEqual({ ok: true, value: [] })
    const key = readFileSync(newCredentialArgs(sandbox, 'x').at(-1)!, 'utf8')
    const added = await app!.invoke('addCredential', {
      name: 'No Keychain School',
      clientId: `BUSINESSAPI.${randomUUID()}`,
      keyId: randomUUID(),
      key: { kind: 'text', text: key },
    })
    expect(added).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } })
    expect(await app!.invoke('listCredentials')).toEqual({ ok: true, value: [] })
  })

  test('the CLI says the same', () => {
    sandbox = makeSandbox()
    const result = runBuiltCli(sandbox, newCredentialArgs(sandbox, 'No Keychain'), noLibsecret)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('The system keychain is not available')
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(runBuiltCli(sandbox, ['list', '--json'], noLibsecret).stdout.trim()).toBe('[]')
  })
})

describe('a start that fails', () => {
  test('is shown in an error dialog and the app quits', async () => {
    sandbox = makeSandbox()
    mkdirSync(sandbox.dir, { recursive: true })
    writeFileSync(sandbox.userData, 'a file where the data folder should be')
    app = await AppProcess.start({ userData: sandbox.userData })
    await app.send({ type: 'ready' })
    const { code, calls } = await app.exited
    expect(code).toBe(1)
    const shown = calls!.filter((call) => call.api === 'dialog.showErrorBox')
    expect(shown).toHaveLength(1)
    expect(shown[0]!.args[0]).toBe('AxM Credential Manager could not start')
    expect(calls!.some((call) => call.api === 'new BrowserWindow')).toBe(false)
  })

  test.each([
    ['Open Folder', '0', 1],
    ['Quit', '1', 0],
  ])('a damaged state file offers to open its folder: %s', async (_, answer, opened) => {
    sandbox = makeSandbox()
    mkdirSync(sandbox.userData, { recursive: true })
    const config = join(sandbox.userData, 'config.json')
    writeFileSync(config, '{ "schemaVersion": 1, "tenants": {')
    app = await AppProcess.start({
      userData: sandbox.userData,
      env: { AXM_WIRING_DIALOG_RESPONSE: answer },
    })
    await app.send({ type: 'ready' })
    const { code, calls } = await app.exited
    expect(code).toBe(1)
    const shown = calls!.filter((call) => call.api === 'dialog.showMessageBox')
    expect(shown.map((call) => call.args[0])).toEqual([
      expect.objectContaining({
        type: 'error',
        title: 'AxM Credential Manager could not start',
        detail: `The credential list at ${config} is damaged and was left untouched. Restore it from a backup or move it aside.`,
        buttons: ['Open Folder', 'Quit'],
      }),
    ])
    const openPaths = calls!.filter((call) => call.api === 'shell.openPath')
    expect(openPaths.map((call) => call.args)).toEqual(opened ? [[sandbox.userData]] : [])
    expect(readFileSync(config, 'utf8')).toBe('{ "schemaVersion": 1, "tenants": {')
  })

  test('a temporary file a killed write left is removed at start', async () => {
    sandbox = makeSandbox()
    mkdirSync(sandbox.userData, { recursive: true })
    const leftover = join(sandbox.userData, 'config.json.tmp-1764579600a1b2c3')
    writeFileSync(leftover, '{ half')
    app = await AppProcess.started({ userData: sandbox.userData })
    expect(existsSync(leftover)).toBe(false)
  })

  test('a window that cannot load its page is reported, not left invisible', async () => {
    sandbox = makeSandbox()
    app = await AppProcess.start({
      userData: sandbox.userData,
      env: { AXM_WIRING_LOAD_FAILS: '1' },
    })
    await app.send({ type: 'ready' })
    const { code, calls } = await app.exited
    expect(code).toBe(1)
    expect(calls!.filter((call) => call.api === 'dialog.showErrorBox')[0]!.args).toEqual([
      'AxM Credential Manager could not start',
      "ERR_FILE_NOT_FOUND (-6) loading 'app://renderer/index.html'",
    ])
  })
})

test('events reach the open window on their own channel', async () => {
  await start()
  writeFileSync(join(sandbox.dir, 'managed.json'), '{ not json')
  const [sent] = await app!.waitFor('webContents.send')
  expect(sent!.args.slice(0, 2)).toEqual([0, eventChannel('managedChanged')])
})
