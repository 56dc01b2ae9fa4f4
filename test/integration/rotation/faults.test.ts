// A fault at each step of Change Credential: before the cutover everything is rolled back and the
// old credential stays in use; after it, nothing is undone and recovery finishes the run.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RotationProgress, TenantDataSnapshot } from '../../../preload/model'
import { checkInvariants } from '../../../main/rotation/invariants'
import { RotationError, type RotationEngineDeps } from '../../../main/rotation/rotation-engine'
import { oauthConfirmer } from '../../../main/rotation/oauth-confirmer'
import {
  publicKeyPemOf,
  startOAuthTestServer,
  type OAuthTestServer,
} from '../../support/oauth-server'
import { FaultySecretStore, FaultyStateStore } from '../../support/rotation-faults'
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
} from '../../support/rotation-world'
import { rejectionOf } from '../../support/rejection'

const SERVICE = `AxM rotation faults test ${process.pid}`

let server: OAuthTestServer
let world: RotationWorld
let tenant: SeededTenant
let dataBefore: TenantDataSnapshot

beforeAll(async () => {
  server = await startOAuthTestServer()
})
afterAll(() => server.close())

beforeEach(async () => {
  server.mode = 'normal'
  world = createRotationWorld(SERVICE)
  tenant = await seedTenant(world, { name: 'Riverside Schools', devices: 30, coverage: 3 })
  dataBefore = tenantSnapshot(world.dataDir, tenant.tenantId)
})
afterEach(() => disposeRotationWorld(world))

function rotation(overrides: { confirmOffline?: boolean } = {}) {
  const key = newKey(world)
  const clientId = newClientId()
  const keyId = randomUUID()
  server.register({ clientId, keyId, publicKeyPem: publicKeyPemOf(key.path) })
  return {
    runId: randomUUID(),
    credentialId: tenant.credential.id,
    name: 'Riverside 2026',
    clientId,
    keyId,
    key: key.parsed,
    ...overrides,
  }
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, RotationError)

/** The old credential is in use with its key, the tenant data is as it was, nothing is left over. */
async function expectNothingChanged(): Promise<void> {
  const state = world.state.read()
  expect(state.tenants[tenant.tenantId]?.activeCredentialId).toBe(tenant.credential.id)
  expect(state.credentials[tenant.credential.id]?.status).toBe('active')
  expect(Object.keys(state.credentials)).toEqual([tenant.credential.id])
  expect(await world.secrets.get(tenant.credential.id)).toBe(tenant.key.parsed.pkcs8Pem)
  expect(tenantSnapshot(world.dataDir, tenant.tenantId)).toEqual(dataBefore)
  expect(await checkInvariants(world)).toEqual([])
}

function expectFailureAudited(step: string, code: string): void {
  const [entry] = world.audit.list({ kind: 'rotation.failed' })
  expect(entry).toMatchObject({ tenantId: tenant.tenantId, credentialId: tenant.credential.id })
  expect(entry?.details).toMatchObject({ step, code, cleanupDeferred: false })
  expect(world.audit.list({ kind: 'credential.rotated' })).toEqual([])
}

describe('a fault before the cutover', () => {
  it('rolls back when the keychain refuses the new key', async () => {
    const secrets = new FaultySecretStore(world.secrets)
    secrets.failSet = true

    const error = await failure(engineFor(world, { secrets }).rotate(rotation()))

    expect(error).toMatchObject({ code: 'keychain_unavailable', step: 'stage' })
    expect(error.message).toMatch(/^Saving the new key in the keychain failed: The system keychain/)
    expect(error.message).toMatch(/Nothing was changed: "Riverside Schools" is still/)
    await expectNothingChanged()
    expectFailureAudited('stage', 'keychain_unavailable')
  })

  it.each([
    ['Apple rejects the key', 'invalid_client', /Apple rejected this key/],
    ["Apple's service fails", 'server_error', /HTTP 500/],
    ["Apple's service does not answer", 'hang', /did not answer within/],
  ] as const)('rolls back when %s', async (_label, mode, message) => {
    server.mode = mode
    const confirmer = oauthConfirmer(server.url, undefined, 300)
    const progress: RotationProgress[] = []

    const error = await failure(
      engineFor(world, { confirmer }).rotate({
        ...rotation(),
        onProgress: (p) => progress.push(p),
      }),
    )

    expect(error).toMatchObject({ code: 'auth_failed', step: 'confirm' })
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(/^Confirming the new key with Apple failed/)
    expect(progress.at(-1)).toMatchObject({ step: 'confirm', state: 'failed' })
    await expectNothingChanged()
    expectFailureAudited('confirm', 'auth_failed')
  })

  it('rolls back when the user cancels while Apple is asked', async () => {
    server.mode = 'hang'
    const engine = engineFor(world, { tokenUrl: server.url })
    const input = rotation()
    const running = failure(engine.rotate(input))
    while (!server.requests.some((r) => r.clientId === input.clientId)) await pause(10)

    expect(engine.cancel(input.runId)).toBe(true)
    const error = await running

    expect(error).toMatchObject({ code: 'canceled', step: 'confirm' })
    expect(error.message).toMatch(/was canceled\. Nothing was changed/)
    await expectNothingChanged()
    expectFailureAudited('confirm', 'canceled')
    expect(engine.cancel(input.runId)).toBe(false)
  })

  it("rolls back when the caller's signal aborts before staging", async () => {
    const controller = new AbortController()
    const hooks: RotationEngineDeps['hooks'] = {
      beforeStep: (step) => (step === 'stage' ? controller.abort() : undefined),
    }
    const input = { ...rotation({ confirmOffline: true }), signal: controller.signal }

    const error = await failure(engineFor(world, { hooks }).rotate(input))

    expect(error).toMatchObject({ code: 'canceled', step: 'stage' })
    await expectNothingChanged()
  })

  it('rolls back when the cutover cannot be written', async () => {
    const state = new FaultyStateStore(world.state)
    // claim, stage, confirm, cutover journal entries; the fifth write is the cutover itself.
    state.failUpdate(5)

    const error = await failure(
      engineFor(world, { state }).rotate(rotation({ confirmOffline: true })),
    )

    expect(error).toMatchObject({ code: 'rotation_failed', step: 'cutover' })
    expect(error.message).toMatch(/^Switching the tenant to the new credential failed: .*disk full/)
    await expectNothingChanged()
    expectFailureAudited('cutover', 'rotation_failed')
  })

  it('leaves the clean-up to recovery when the rollback itself fails', async () => {
    server.mode = 'invalid_client'
    const secrets = new FaultySecretStore(world.secrets)
    const input = rotation()
    const hooks: RotationEngineDeps['hooks'] = {
      // Once staged, the new key cannot be deleted again: the rollback cannot finish.
      beforeStep: (step) => {
        if (step !== 'confirm') return
        const journal = world.state.read().rotations[input.runId] as { newCredentialId: string }
        secrets.failDeleteOf.add(journal.newCredentialId)
      },
    }
    const engine = engineFor(world, { secrets, hooks, tokenUrl: server.url })

    const error = await failure(engine.rotate(input))

    expect(error).toMatchObject({ code: 'auth_failed', step: 'confirm' })
    expect(error.message).toMatch(/cleaned up when the app next starts/)
    // The rollback was decided under the lock: the pending record is gone and the journal, marked
    // as rolling back, still covers the staged key that could not be deleted.
    const journal = world.state.read().rotations[input.runId] as { newCredentialId: string }
    expect(journal).toMatchObject({ rollingBack: true })
    expect(await checkInvariants(world)).toEqual([
      `keychain item ${journal.newCredentialId} belongs to no usable credential`,
      `rotation journal ${input.runId} is left over`,
    ])

    expect(await engine.recover()).toEqual([
      { runId: input.runId, action: 'deferred', message: expect.stringMatching(/keychain/) },
    ])
    secrets.failDeleteOf.clear()
    expect(await engine.recover()).toEqual([{ runId: input.runId, action: 'rolled_back' }])
    await expectNothingChanged()
  })
})

describe('a fault after the cutover', () => {
  it('keeps the cutover when the old key cannot be purged, and recovery purges it later', async () => {
    const secrets = new FaultySecretStore(world.secrets)
    secrets.failDeleteOf.add(tenant.credential.id)
    const progress: RotationProgress[] = []
    const input = {
      ...rotation({ confirmOffline: true }),
      onProgress: (p: RotationProgress) => progress.push(p),
    }

    const outcome = await engineFor(world, { secrets }).rotate(input)

    const state = world.state.read()
    expect(state.tenants[tenant.tenantId]?.activeCredentialId).toBe(outcome.newCredentialId)
    expect(state.credentials[tenant.credential.id]?.status).toBe('retired')
    expect(state.rotations[input.runId]).toMatchObject({ step: 'purge' })
    expect(progress.at(-1)).toMatchObject({ step: 'purge', state: 'failed' })
    expect(progress.at(-1)?.message).toMatch(/removes it when it next starts/)
    expect(world.audit.list({ kind: 'credential.rotated' })[0]?.details).toMatchObject({
      oldKeyRemoved: false,
      dataUnchanged: true,
    })
    expect(await checkInvariants(world)).toEqual([
      `keychain item ${tenant.credential.id} belongs to no usable credential`,
      `rotation journal ${input.runId} is left over`,
    ])

    expect(state.rotations[input.runId]).toMatchObject({ rotatedAudited: true })

    const results = await engineFor(world).recover()

    expect(results).toEqual([{ runId: input.runId, action: 'finished' }])
    expect(await world.secrets.get(tenant.credential.id)).toBeNull()
    expect(world.state.read().tenants[tenant.tenantId]?.activeCredentialId).toBe(
      outcome.newCredentialId,
    )
    // The change itself is already in the log: recovery adds only the old key's removal.
    const recovered = world.audit.list({ kind: 'rotation.recovered' })
    expect(recovered).toHaveLength(1)
    expect(recovered[0]?.summary).toMatch(/old key of "Riverside Schools" .* was removed/)
    expect(recovered[0]?.details).toEqual({
      runId: input.runId,
      action: 'old_key_removed',
      retiredCredentialId: tenant.credential.id,
    })
    expect(world.audit.list({ kind: 'credential.rotated' })).toHaveLength(1)
    expect(tenantSnapshot(world.dataDir, tenant.tenantId)).toEqual(dataBefore)
    expect(await checkInvariants(world)).toEqual([])
  })

  it('cannot be canceled once the cutover is written', async () => {
    let cancelResult: boolean | undefined
    const input = rotation({ confirmOffline: true })
    const engine = engineFor(world, {
      hooks: {
        afterStep: (step) =>
          void (step === 'cutover' && (cancelResult = engine.cancel(input.runId))),
      },
    })

    const outcome = await engine.rotate(input)

    expect(cancelResult).toBe(false)
    expect(world.state.read().tenants[tenant.tenantId]?.activeCredentialId).toBe(
      outcome.newCredentialId,
    )
    expect(await checkInvariants(world)).toEqual([])
  })
})

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
