// The IPC handlers over the real services: every contract method parses its input, answers a
// Result, and no answer ever carries private key material.
import { randomUUID } from 'node:crypto'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  contract,
  type ContractEvents,
  type EventName,
  type MethodName,
  type Result,
} from '../../../preload/contract'
import { createHandlers, type Handlers, type Platform } from '../../../main/ipc/handlers'
import { PolicyFileSource } from '../../../main/managed/file-source'
import { createServices, type AppServices } from '../../../main/services'
import { importWorkerBeside, keyWorkerBeside } from '../../../main/worker-script'
import { generateDevicesCsv } from '../../support/device-csv'
import {
  makeTestClient,
  startOAuthTestServer,
  type OAuthTestServer,
  type TestClient,
} from '../../support/oauth-server'
import { makeKeySet, TEST_PASSPHRASE, type TestKeySet } from '../../support/openssl-keys'

interface Harness {
  handlers: Handlers
  services: AppServices
  oauth: OAuthTestServer
  dir: string
  nextPick: string[]
  nextSave: string[]
  events: Array<{ event: EventName; payload: unknown }>
  /** Every answer any handler gave, to check for key material at the end. */
  answers: string[]
}

let h: Harness

/** A file's bytes, or null for a folder. */
const readFileSafe = (path: string): Buffer | null =>
  statSync(path).isDirectory() ? null : readFileSync(path)
let keys: TestKeySet
let client: TestClient

async function call<M extends MethodName>(
  name: M,
  input: unknown,
): Promise<Result<(typeof contract)[M]['output']>> {
  const result = await h.handlers[name](input)
  h.answers.push(JSON.stringify(result))
  return result
}

async function value<M extends MethodName>(name: M, input: unknown) {
  const result = await call(name, input)
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`)
  return result.value
}

beforeAll(async () => {
  keys = makeKeySet(2048)
  const dir = mkdtempSync(join(tmpdir(), 'axm-ipc-'))
  const oauth = await startOAuthTestServer()
  client = makeTestClient(dir)
  oauth.register(client)
  const services = createServices({
    dataDir: join(dir, 'data'),
    tokenUrl: oauth.url,
    keychainService: `AxM IPC test ${randomUUID()}`,
    managedSources: [new PolicyFileSource(join(dir, 'managed.json'), { trustedOwnerUid: null })],
    // File imports run in a worker thread, as in the app.
    importWorker: importWorkerBeside(import.meta.url),
    keyWorker: keyWorkerBeside(import.meta.url),
  })
  const harness: Harness = {
    handlers: undefined as unknown as Handlers,
    services,
    oauth,
    dir,
    nextPick: [],
    nextSave: [],
    events: [],
    answers: [],
  }
  const platform: Platform = {
    pickFile: async () => harness.nextPick.shift() ?? null,
    saveFile: async () => harness.nextSave.shift() ?? null,
    emit: <E extends EventName>(event: E, payload: ContractEvents[E]) => {
      harness.events.push({ event, payload })
    },
  }
  harness.handlers = createHandlers(services, platform)
  h = harness
})

afterAll(async () => {
  for (const account of await h.services.secrets.accounts())
    await h.services.secrets.delete(account)
  h.services.close()
  await h.oauth.close()
})

describe('IPC handlers', () => {
  it('refuse input that does not match the contract, for every method', async () => {
    for (const name of Object.keys(contract) as MethodName[]) {
      const result = await call(name, { unexpected: true })
      expect(result, name).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    }
  })

  it('inspect a pasted key and answer its fingerprint, not the key', async () => {
    const inspection = await value('inspectKey', {
      key: { kind: 'text', text: readFileSync(keys.pkcs8, 'utf8') },
    })
    expect(inspection).toEqual({
      format: 'pkcs8',
      curve: 'P-256',
      publicKeyFingerprint: keys.fingerprint,
    })
  })

  it('say which passphrase problem a dropped PKCS#12 file has', async () => {
    const key = {
      kind: 'binary',
      base64: readFileSync(keys.pkcs12).toString('base64'),
      fileName: 'key.p12',
    }
    expect(await call('inspectKey', { key })).toMatchObject({
      ok: false,
      error: { code: 'passphrase_required' },
    })
    expect(await call('inspectKey', { key, passphrase: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_passphrase' },
    })
    const inspection = await value('inspectKey', { key, passphrase: TEST_PASSPHRASE })
    expect(inspection.publicKeyFingerprint).toBe(keys.fingerprint)
  })

  it('add a credential from a file picked in main, then refuse its Client ID again', async () => {
    h.nextPick.push(client.keyPath)
    const picked = await value('pickKeyFile', {})
    expect(picked?.fileName).toBe(`${client.keyId}.pem`)
    const credential = await value('addCredential', {
      name: 'Example School',
      clientId: client.clientId,
      keyId: client.keyId,
      key: { kind: 'picked', token: picked?.token },
    })
    expect(credential).toMatchObject({ status: 'active', origin: 'manual', scope: 'business' })
    expect(await value('listCredentials', {})).toEqual([credential])
    expect(await value('listTenants', {})).toEqual([
      expect.objectContaining({ id: credential.tenantId, activeCredentialId: credential.id }),
    ])
    expect(h.events).toContainEqual({
      event: 'dataChanged',
      payload: { what: 'credentials', tenantId: credential.tenantId },
    })

    const again = await call('addCredential', {
      name: 'Copy',
      clientId: client.clientId,
      keyId: randomUUID(),
      key: { kind: 'text', text: readFileSync(keys.pkcs8, 'utf8') },
    })
    expect(again).toMatchObject({ ok: false, error: { code: 'duplicate_client_id' } })
    expect(await value('listCredentials', {})).toHaveLength(1)
  })

  it('refuse a picked-file token the main process never issued', async () => {
    const result = await call('inspectKey', { key: { kind: 'picked', token: randomUUID() } })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('import devices from a CSV chosen in main and answer counts and pages', async () => {
    const [tenant] = await value('listTenants', {})
    const csv = join(h.dir, 'devices.csv')
    writeFileSync(csv, generateDevicesCsv(250, 2))
    h.nextPick.push(csv)
    const report = await value('importDevicesCsv', { tenantId: tenant?.id })
    expect(report).toMatchObject({ devices: 250, errors: [] })
    const counts = await value('deviceCounts', { tenantId: tenant?.id })
    expect(counts.devices).toBe(250)
    const view = { tenantId: tenant?.id, filter: 'all', search: '' }
    expect(await value('countDeviceView', view)).toBe(250)
    const first = await value('queryDevices', { ...view, cursor: { from: 'start' }, limit: 200 })
    // The boot's Devices screen: the first tenant's first page, its count, the tiles' counts and
    // the sync overview, as those calls answer.
    expect(await value('openingDevices', { limit: 200 })).toEqual({
      tenantId: tenant?.id,
      rows: first,
      total: 250,
      counts,
      sync: await value('syncOverview', { tenantId: tenant?.id }),
    })
    const after = { serial: first.at(-1)?.serial }
    expect(await value('queryDevices', { ...view, cursor: { after }, limit: 100 })).toHaveLength(50)
    // A sort pages on its own key, and a cursor's key must carry the value it sorts by.
    const sort = { column: 'model', descending: true }
    const sorted = await value('queryDevices', { ...view, sort, cursor: { from: 'end' }, limit: 1 })
    const lastKey = { serial: sorted[0]?.serial, model: sorted[0]?.model }
    expect(
      await value('queryDevices', { ...view, sort, cursor: { before: lastKey }, limit: 300 }),
    ).toHaveLength(249)
    expect(
      await call('queryDevices', { ...view, sort, cursor: { after }, limit: 10 }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('export devices to the file chosen in main', async () => {
    const [tenant] = await value('listTenants', {})
    const out = join(h.dir, 'export.csv')
    h.nextSave.push(out)
    const exported = await value('exportDevicesCsv', { tenantId: tenant?.id })
    expect(exported?.path).toBe(out)
    expect(readFileSync(out, 'utf8')).toContain('Serial')
    const progress = h.events.filter(({ event }) => event === 'csvExportProgress')
    expect(progress.at(-1)?.payload).toEqual({
      tenantId: tenant?.id,
      devices: 250,
      totalDevices: 250,
      rows: 500,
    })
    // Nothing is running any more: there is nothing to cancel.
    expect(await value('cancelCsvExport', { tenantId: tenant?.id })).toEqual({ canceled: false })
  })

  it('refuse an export into the data folder, however the path names it, writing nothing', async () => {
    const [tenant] = await value('listTenants', {})
    const dataDir = h.services.dataDir
    const linkToData = join(h.dir, 'link-to-data')
    symlinkSync(dataDir, linkToData)
    const files = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).sort()
    const contents = () => files.map((file) => readFileSafe(join(dataDir, file)))
    const before = contents()
    const targets = [
      join(dataDir, 'config.json'),
      join(dataDir, 'audit.jsonl'),
      h.services.tenants.path(tenant?.id ?? ''),
      dataDir,
      join(dataDir, 'new-folder', 'new.csv'),
      join(linkToData, 'config.json'),
      join(h.dir, 'elsewhere', '..', 'data', 'audit.jsonl'),
    ]
    for (const target of targets) {
      for (const method of ['exportDevicesCsv', 'exportAuditCsv'] as const) {
        h.nextSave.push(target)
        const refused = await call(method, { tenantId: tenant?.id })
        expect(refused, `${method} ${target}`).toMatchObject({
          ok: false,
          error: {
            code: 'invalid_input',
            message: expect.stringMatching(/inside the app's data folder/),
          },
        })
      }
    }
    expect(readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).sort()).toEqual(files)
    expect(contents()).toEqual(before)

    const beside = join(h.dir, 'data-exports', 'devices.csv')
    mkdirSync(join(h.dir, 'data-exports'))
    h.nextSave.push(beside)
    expect((await value('exportDevicesCsv', { tenantId: tenant?.id }))?.path).toBe(beside)
  })

  it('test the connection with Apple and record it on the credential', async () => {
    const [credential] = await value('listCredentials', {})
    const check = await value('testConnection', { credentialId: credential?.id })
    expect(check.ok).toBe(true)
    const [after] = await value('listCredentials', {})
    expect(after?.lastCheck).toEqual(check)
  })

  it('change the credential with live progress, carrying every device over', async () => {
    const [current] = await value('listCredentials', {})
    const next = makeTestClient(h.dir)
    h.oauth.register(next)
    const runId = randomUUID()
    const outcome = await value('changeCredential', {
      runId,
      credentialId: current?.id,
      name: 'Example School 2027',
      clientId: next.clientId,
      keyId: next.keyId,
      key: { kind: 'text', text: next.privateKeyPem },
    })
    expect(outcome).toMatchObject({ confirmation: 'oauth', oldCredentialId: current?.id })
    expect(outcome.after).toEqual(outcome.before)
    expect(outcome.after.devices).toBe(250)
    const steps = h.events
      .filter((e) => e.event === 'rotationProgress')
      .map((e) => e.payload as ContractEvents['rotationProgress'])
      .filter((p) => p.runId === runId && p.state === 'done')
      .map((p) => p.step)
    expect(steps).toEqual(['validate', 'stage', 'confirm', 'cutover', 'purge'])
    const statuses = (await value('listCredentials', {})).map((c) => [c.id, c.status])
    expect(statuses).toEqual([
      [current?.id, 'retired'],
      [outcome.newCredentialId, 'active'],
    ])
  })

  it('list and export the audit log, filtered by tenant and kind', async () => {
    const [tenant] = await value('listTenants', {})
    const rotated = await value('listAudit', { tenantId: tenant?.id, kind: 'credential.rotated' })
    expect(rotated).toHaveLength(1)
    expect(rotated[0]?.details).toMatchObject({ devicesBefore: 250, devicesAfter: 250 })
    const out = join(h.dir, 'audit.csv')
    h.nextSave.push(out)
    const exported = await value('exportAuditCsv', { tenantId: tenant?.id })
    expect(exported?.rows).toBeGreaterThanOrEqual(4)
    expect(readFileSync(out, 'utf8')).toContain('credential.rotated')
  })

  it('ask before removing a tenant’s last credential, and keep its data when told to', async () => {
    const active = (await value('listCredentials', {})).find((c) => c.status === 'active')
    expect(await call('removeCredential', { credentialId: active?.id })).toMatchObject({
      ok: false,
      error: { code: 'tenant_data_decision_required' },
    })
    const removed = await value('removeCredential', {
      credentialId: active?.id,
      tenantData: 'keep',
    })
    expect(removed).toEqual({ tenantRemoved: false, dataDeleted: false })
    const [tenant] = await value('listTenants', {})
    expect(tenant?.activeCredentialId).toBeNull()
    expect((await value('deviceCounts', { tenantId: tenant?.id })).devices).toBe(250)
  })

  it('answer not_found for a credential that does not exist', async () => {
    expect(await call('renameCredential', { credentialId: 'nope', name: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
  })

  it('never answered with private key material', () => {
    const secrets = [keys.pkcs8, client.keyPath].map((path) =>
      readFileSync(path, 'utf8').split('\n').slice(1, 3).join(''),
    )
    for (const answer of h.answers) {
      expect(answer).not.toContain('PRIVATE KEY')
      expect(answer).not.toContain(TEST_PASSPHRASE)
      for (const secret of secrets) expect(answer).not.toContain(secret)
    }
    expect(h.answers.length).toBeGreaterThan(20)
  })
})
