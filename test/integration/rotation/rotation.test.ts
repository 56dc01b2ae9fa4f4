// Change Credential end to end: real keychain, real state file, real tenant database and a loopback
// OAuth server that checks the new key's signature.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest'
import { shortFingerprint, type RotationProgress } from '../../../preload/model'
import { checkInvariants } from '../../../main/rotation/invariants'
import { RotationError } from '../../../main/rotation/rotation-engine'
import {
  publicKeyPemOf,
  startOAuthTestServer,
  type OAuthTestServer,
} from '../../support/oauth-server'
import {
  createRotationWorld,
  disposeRotationWorld,
  engineFor,
  newClientId,
  newKey,
  seedTenant,
  tenantSnapshot,
  type RotationWorld,
  type SeededTenant,
  type TestKey,
} from '../../support/rotation-world'

const SERVICE = `AxM rotation test ${process.pid}`

let server: OAuthTestServer
let world: RotationWorld
let tenant: SeededTenant

beforeAll(async () => {
  server = await startOAuthTestServer()
})
afterAll(() => server.close())

beforeEach(async () => {
  world = createRotationWorld(SERVICE)
  tenant = await seedTenant(world, { name: 'Lincoln High', devices: 40, coverage: 3 })
})
afterEach(() => disposeRotationWorld(world))

/** A new key registered at the loopback server under a fresh Client ID and Key ID. */
function registeredKey(clientId = newClientId()): {
  key: TestKey
  clientId: string
  keyId: string
} {
  const key = newKey(world)
  const keyId = randomUUID()
  server.register({ clientId, keyId, publicKeyPem: publicKeyPemOf(key.path) })
  return { key, clientId, keyId }
}

function rotationOf(
  change: { key: TestKey; clientId: string; keyId: string },
  name = 'Lincoln 2026',
) {
  return {
    runId: randomUUID(),
    credentialId: tenant.credential.id,
    name,
    clientId: change.clientId,
    keyId: change.keyId,
    key: change.key.parsed,
  }
}

describe('a rotation confirmed with Apple', () => {
  it('activates the new credential, retires the old one and keeps the tenant data as it was', async () => {
    const before = tenantSnapshot(world.dataDir, tenant.tenantId)
    const change = registeredKey()
    const progress: RotationProgress[] = []
    const engine = engineFor(world, { tokenUrl: server.url })

    const outcome = await engine.rotate({
      ...rotationOf(change),
      onProgress: (p) => progress.push(p),
    })

    const state = world.state.read()
    const next = state.credentials[outcome.newCredentialId]
    const old = state.credentials[tenant.credential.id]
    expect(outcome).toMatchObject({
      tenantId: tenant.tenantId,
      oldCredentialId: tenant.credential.id,
      confirmation: 'oauth',
    })
    expect(state.tenants[tenant.tenantId]?.activeCredentialId).toBe(outcome.newCredentialId)
    expect(next).toMatchObject({
      status: 'active',
      name: 'Lincoln 2026',
      clientId: change.clientId,
      replaces: tenant.credential.id,
      origin: 'manual',
      publicKeyFingerprint: change.key.parsed.publicKeyFingerprint,
    })
    expect(next?.activatedAt).toBeTypeOf('string')
    expect(old).toMatchObject({ status: 'retired', replacedBy: outcome.newCredentialId })
    expect(old?.retiredAt).toBeTypeOf('string')
    expect(await world.secrets.get(tenant.credential.id)).toBeNull()
    expect(await world.secrets.get(outcome.newCredentialId)).toBe(change.key.parsed.pkcs8Pem)
    expect(server.requests).toContainEqual({ clientId: change.clientId, ok: true })

    const after = tenantSnapshot(world.dataDir, tenant.tenantId)
    expect(after).toEqual(before)
    expect(before).toMatchObject({ devices: 40, coverage: 120 })
    expect(outcome.before).toEqual(before)
    expect(outcome.after).toEqual(before)

    const [entry] = world.audit.list({ kind: 'credential.rotated' })
    expect(entry).toMatchObject({
      tenantId: tenant.tenantId,
      credentialId: outcome.newCredentialId,
    })
    expect(entry?.details).toMatchObject({
      fromCredentialId: tenant.credential.id,
      toCredentialId: outcome.newCredentialId,
      fromName: 'Lincoln High',
      toName: 'Lincoln 2026',
      fromFingerprint: shortFingerprint(tenant.key.parsed.publicKeyFingerprint),
      toFingerprint: shortFingerprint(change.key.parsed.publicKeyFingerprint),
      confirmation: 'oauth',
      devicesBefore: 40,
      devicesAfter: 40,
      coverageBefore: 120,
      coverageAfter: 120,
      dataUnchanged: true,
      oldKeyRemoved: true,
    })
    expect(readFileSync(world.audit.path, 'utf8')).not.toContain('PRIVATE KEY')
    expect(readFileSync(world.state.path, 'utf8')).not.toContain('PRIVATE KEY')
    expect(await checkInvariants(world)).toEqual([])

    const steps = progress.filter((p) => p.state === 'done').map((p) => p.step)
    expect(steps).toEqual(['validate', 'stage', 'confirm', 'cutover', 'purge'])
    expect(progress.some((p) => p.state === 'failed')).toBe(false)
  })

  it('records an offline confirmation without asking the token endpoint', async () => {
    const change = { key: newKey(world), clientId: newClientId(), keyId: randomUUID() }
    const engine = engineFor(world, { tokenUrl: server.url })

    const outcome = await engine.rotate({ ...rotationOf(change), confirmOffline: true })

    expect(outcome.confirmation).toBe('offline')
    expect(server.requests.map((r) => r.clientId)).not.toContain(change.clientId)
    const [entry] = world.audit.list({ kind: 'credential.rotated' })
    expect(entry?.details?.confirmation).toBe('offline')
    expect(await checkInvariants(world)).toEqual([])
  })

  it('keeps the Client ID when Apple issued a new key for the same account', async () => {
    const change = registeredKey(tenant.credential.clientId)

    const outcome = await engineFor(world, { tokenUrl: server.url }).rotate(rotationOf(change))

    const next = world.state.read().credentials[outcome.newCredentialId]
    expect(next?.clientId).toBe(tenant.credential.clientId)
    expect(next?.keyId).toBe(change.keyId)
    expect(await checkInvariants(world)).toEqual([])
  })

  it('marks a credential replaced from managed preferences as managed', async () => {
    const change = { key: newKey(world), clientId: newClientId(), keyId: randomUUID() }
    const origin = { managedId: 'district-abm', managedRevision: 3 }

    const outcome = await engineFor(world).rotate({
      ...rotationOf(change),
      confirmOffline: true,
      origin,
    })

    expect(world.state.read().credentials[outcome.newCredentialId]).toMatchObject({
      origin: 'managed',
      ...origin,
    })
  })

  it('rotates the same tenant again after a finished rotation', async () => {
    const engine = engineFor(world)
    const first = await engine.rotate({
      ...rotationOf({ key: newKey(world), clientId: newClientId(), keyId: randomUUID() }),
      confirmOffline: true,
    })
    const second = await engine.rotate({
      ...rotationOf({ key: newKey(world), clientId: newClientId(), keyId: randomUUID() }, 'Third'),
      credentialId: first.newCredentialId,
      confirmOffline: true,
    })

    const state = world.state.read()
    expect(state.tenants[tenant.tenantId]?.activeCredentialId).toBe(second.newCredentialId)
    expect(state.credentials[first.newCredentialId]?.status).toBe('retired')
    expect(await world.secrets.accounts()).toEqual([second.newCredentialId])
    expect(await checkInvariants(world)).toEqual([])
  })
})

describe('a rotation refused at validation', () => {
  async function expectRefused(
    input: Parameters<ReturnType<typeof engineFor>['rotate']>[0],
    code: string,
    message: RegExp,
  ): Promise<void> {
    const stateBefore = world.state.read()
    const accountsBefore = await world.secrets.accounts()
    const error = await engineFor(world, { tokenUrl: server.url })
      .rotate({ ...input, confirmOffline: true })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RotationError)
    expect(error).toMatchObject({ code, step: 'validate' })
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toMatch(/Nothing was changed/)
    expect(world.state.read()).toEqual(stateBefore)
    expect(await world.secrets.accounts()).toEqual(accountsBefore)
    expect(world.audit.list({ kind: 'rotation.failed' })[0]?.details).toMatchObject({
      step: 'validate',
      code,
    })
  }

  it('refuses the key the credential already uses', async () => {
    const change = { key: tenant.key, clientId: newClientId(), keyId: randomUUID() }
    await expectRefused(rotationOf(change), 'invalid_input', /already uses/)
  })

  it('refuses a Client ID of the other scope', async () => {
    const change = { key: newKey(world), clientId: newClientId('school'), keyId: randomUUID() }
    await expectRefused(rotationOf(change), 'invalid_input', /School Manager/)
  })

  it("refuses a Client ID another tenant's credential uses", async () => {
    const other = await seedTenant(world, { name: 'Other district', devices: 1 })
    const change = { key: newKey(world), clientId: other.credential.clientId, keyId: randomUUID() }
    await expectRefused(rotationOf(change), 'duplicate_client_id', /Other district/)
  })

  it("refuses a key another tenant's credential uses", async () => {
    const other = await seedTenant(world, { name: 'Other district', devices: 1 })
    const change = { key: other.key, clientId: newClientId(), keyId: randomUUID() }
    await expectRefused(rotationOf(change), 'invalid_input', /already used by the credential/)
  })

  it('refuses the same Client ID with the same Key ID', async () => {
    const { clientId, keyId } = tenant.credential
    await expectRefused(
      rotationOf({ key: newKey(world), clientId, keyId }),
      'invalid_input',
      /Key ID/,
    )
  })

  it.each([
    ['a malformed Client ID', { clientId: 'BUSINESSAPI.not-a-uuid' }, /Client ID looks like/],
    ['a malformed Key ID', { keyId: 'key-1' }, /Key ID is a UUID/],
    ['an empty name', { name: '   ' }, /Name is required/],
  ])('refuses %s', async (_label, field, message) => {
    const change = { key: newKey(world), clientId: newClientId(), keyId: randomUUID() }
    await expectRefused({ ...rotationOf(change), ...field }, 'invalid_input', message)
  })

  it('refuses a retired credential', async () => {
    const engine = engineFor(world)
    const change = { key: newKey(world), clientId: newClientId(), keyId: randomUUID() }
    await engine.rotate({ ...rotationOf(change), confirmOffline: true })
    const again = { key: newKey(world), clientId: newClientId(), keyId: randomUUID() }
    await expectRefused(rotationOf(again), 'invalid_input', /not its tenant's active credential/)
  })

  it('refuses a second rotation of a tenant while one runs', async () => {
    let confirming: () => void = () => {}
    const reachedConfirm = new Promise<void>((resolve) => (confirming = resolve))
    let releaseConfirm: () => void = () => {}
    const confirmer = {
      confirm: () =>
        new Promise<void>((resolve) => {
          releaseConfirm = resolve
          confirming()
        }),
    }
    const engine = engineFor(world, { confirmer })
    const first = engine.rotate(
      rotationOf({ key: newKey(world), clientId: newClientId(), keyId: randomUUID() }),
    )
    await reachedConfirm

    const second = engineFor(world).rotate({
      ...rotationOf({ key: newKey(world), clientId: newClientId(), keyId: randomUUID() }),
      confirmOffline: true,
    })
    await expect(second).rejects.toMatchObject({ code: 'busy', step: 'validate' })

    releaseConfirm()
    await expect(first).resolves.toMatchObject({ confirmation: 'oauth' })
    expect(await checkInvariants(world)).toEqual([])
  })
})
