// Runs a failed step left unfinished, settled later by start-up recovery or before the tenant's
// next rotation: never by deleting the key a tenant uses, never blocked by the audit log, and never
// left to block the tenant once they can be settled.
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RotationConflictError } from '../../../main/rotation/errors'
import { checkInvariants } from '../../../main/rotation/invariants'
import { findJournal, type RotationJournal } from '../../../main/rotation/journal'
import { rollBack } from '../../../main/rotation/rollback'
import type { RotationInput } from '../../../main/rotation/rotation-engine'
import { breakAuditLog, FaultySecretStore, FaultyStateStore } from '../../support/rotation-faults'
import {
  createRotationWorld,
  disposeRotationWorld,
  engineFor,
  newClientId,
  newKey,
  seedTenant,
  type RotationWorld,
  type SeededTenant,
} from '../../support/rotation-world'

const SERVICE = `AxM rotation recovery test ${process.pid}`

let world: RotationWorld
let tenant: SeededTenant

beforeEach(async () => {
  world = createRotationWorld(SERVICE)
  tenant = await seedTenant(world, { name: 'Northside College', devices: 10, coverage: 2 })
})
afterEach(async () => {
  vi.restoreAllMocks()
  await disposeRotationWorld(world)
})

function rotationInput(credentialId = tenant.credential.id): RotationInput {
  return {
    runId: randomUUID(),
    credentialId,
    name: 'Northside 2026',
    clientId: newClientId(),
    keyId: randomUUID(),
    key: newKey(world).parsed,
    confirmOffline: true,
  }
}

function journalOf(runId: string): RotationJournal {
  const journal = findJournal(world.state.read(), runId)
  if (!journal) throw new Error(`no journal for ${runId}`)
  return journal
}

/** A run canceled before its confirmation whose staged key the keychain refused to delete. */
async function leaveRunToRollBack(secrets: FaultySecretStore): Promise<RotationJournal> {
  const input = rotationInput()
  const controller = new AbortController()
  const hooks = {
    beforeStep: (step: string) => {
      if (step !== 'confirm') return
      secrets.failDeleteOf.add(journalOf(input.runId).newCredentialId)
      controller.abort()
    },
  }
  const failed = engineFor(world, { secrets, hooks }).rotate({
    ...input,
    signal: controller.signal,
  })
  await expect(failed).rejects.toMatchObject({ code: 'canceled', step: 'confirm' })
  return journalOf(input.runId)
}

/** A finished rotation whose old key the keychain refused to delete: its journal stays at purge. */
async function leaveRunToPurge(secrets: FaultySecretStore, input = rotationInput()) {
  secrets.failDeleteOf.add(input.credentialId)
  const outcome = await engineFor(world, { secrets }).rotate(input)
  secrets.failDeleteOf.clear()
  return { outcome, journal: journalOf(input.runId) }
}

const silenceConsoleErrors = () => vi.spyOn(console, 'error').mockImplementation(() => {})

describe('a rollback', () => {
  it('refuses, and deletes nothing, once the tenant uses the new credential', async () => {
    const secrets = new FaultySecretStore(world.secrets)
    const { outcome, journal } = await leaveRunToPurge(secrets)
    const newKeyPem = await world.secrets.get(outcome.newCredentialId)

    const rollingBack = rollBack({ ...world, now: () => new Date() }, journal)

    await expect(rollingBack).rejects.toBeInstanceOf(RotationConflictError)
    expect(newKeyPem).toMatch(/PRIVATE KEY/)
    expect(await world.secrets.get(outcome.newCredentialId)).toBe(newKeyPem)
    expect(journalOf(journal.runId).rollingBack).toBeUndefined()
  })

  it('is finished by recovery once the staged key can be deleted', async () => {
    const secrets = new FaultySecretStore(world.secrets)
    const journal = await leaveRunToRollBack(secrets)
    expect(journal.rollingBack).toBe(true)
    expect(world.state.read().credentials[journal.newCredentialId]).toBeUndefined()

    secrets.failDeleteOf.clear()
    const results = await engineFor(world, { secrets }).recover()

    expect(results).toEqual([{ runId: journal.runId, action: 'rolled_back' }])
    expect(await world.secrets.accounts()).toEqual([tenant.credential.id])
    expect(await checkInvariants(world)).toEqual([])
  })
})

describe('a cutover whose write failed', () => {
  it('undoes nothing when the state cannot be read back, and recovery finishes it', async () => {
    const state = new FaultyStateStore(world.state)
    // claim, stage, confirm, cutover journal entries; the fifth write is the cutover itself.
    state.failUpdate(5, { afterWriting: true, thenUnreadable: true })
    const input = rotationInput()

    const error = await engineFor(world, { state })
      .rotate(input)
      .catch((e: unknown) => e)

    expect(error).toMatchObject({ code: 'rotation_failed', step: 'cutover' })
    expect((error as Error).message).toMatch(/could not check whether "Northside 2026"/)
    expect((error as Error).message).not.toMatch(/Nothing was changed/)
    expect(world.audit.list({ kind: 'rotation.failed' })).toEqual([])
    const { newCredentialId } = journalOf(input.runId)
    expect(world.state.read().tenants[tenant.tenantId]?.activeCredentialId).toBe(newCredentialId)
    expect(await world.secrets.get(newCredentialId)).toBe(input.key.pkcs8Pem)

    const results = await engineFor(world).recover()

    expect(results).toEqual([{ runId: input.runId, action: 'finished' }])
    expect(await world.secrets.accounts()).toEqual([newCredentialId])
    expect(await world.secrets.get(newCredentialId)).toBe(input.key.pkcs8Pem)
    expect(await checkInvariants(world)).toEqual([])
  })
})

describe('an audit log that cannot be written', () => {
  it('does not fail a rotation that cut over, and logs the error by name only', async () => {
    const errors = silenceConsoleErrors()
    const repair = breakAuditLog(world.audit)
    const input = rotationInput()

    const outcome = await engineFor(world).rotate(input)
    repair()

    expect(world.state.read().tenants[tenant.tenantId]?.activeCredentialId).toBe(
      outcome.newCredentialId,
    )
    expect(await checkInvariants(world)).toEqual([])
    expect(errors.mock.calls).toEqual([
      ['The audit log could not record a credential.rotated entry (Error).'],
    ])
  })

  it('does not keep recovery from finishing a run', async () => {
    const secrets = new FaultySecretStore(world.secrets)
    const { journal } = await leaveRunToPurge(secrets)
    const errors = silenceConsoleErrors()
    const repair = breakAuditLog(world.audit)

    const results = await engineFor(world).recover()
    repair()

    expect(results).toEqual([{ runId: journal.runId, action: 'finished' }])
    expect(await checkInvariants(world)).toEqual([])
    expect(errors.mock.calls).toEqual([
      ['The audit log could not record a rotation.recovered entry (Error).'],
    ])
  })
})

describe('a run left unfinished', () => {
  it('is settled before the next rotation of its tenant, once it can be', async () => {
    const secrets = new FaultySecretStore(world.secrets)
    const left = await leaveRunToRollBack(secrets)
    const engine = engineFor(world, { secrets })

    expect(await engine.recover()).toEqual([
      { runId: left.runId, action: 'deferred', message: expect.stringMatching(/keychain/) },
    ])
    const refusedWhileLocked = engine.rotate(rotationInput())
    await expect(refusedWhileLocked).rejects.toMatchObject({ code: 'busy', step: 'validate' })
    const deferred = world.audit
      .list({ kind: 'rotation.recovered' })
      .filter((entry) => entry.details?.action === 'deferred')
    expect(deferred).toHaveLength(1)
    expect(deferred[0]).toMatchObject({ tenantId: tenant.tenantId })
    expect(deferred[0]?.details).toMatchObject({
      runId: left.runId,
      reason: expect.stringMatching(/keychain/),
    })
    expect(deferred[0]?.summary).toMatch(/change of "Northside College" was left as it is/)

    secrets.failDeleteOf.clear()
    const outcome = await engine.rotate(rotationInput())

    expect(world.state.read().tenants[tenant.tenantId]?.activeCredentialId).toBe(
      outcome.newCredentialId,
    )
    expect(world.audit.list({ kind: 'rotation.recovered' })[0]?.details).toMatchObject({
      runId: left.runId,
      action: 'rolled_back',
    })
    expect(await checkInvariants(world)).toEqual([])
  })

  it('is not audited while another process is still running it', async () => {
    const secrets = new FaultySecretStore(world.secrets)
    const left = await leaveRunToRollBack(secrets)
    const updatedAt = new Date().toISOString()
    await world.state.update((state) => {
      state.rotations[left.runId] = { ...left, ownerPid: process.ppid, updatedAt }
    })

    expect(await engineFor(world, { secrets }).recover()).toEqual([
      { runId: left.runId, action: 'deferred', message: 'another AxM process is still running it' },
    ])
    expect(world.audit.list({ kind: 'rotation.recovered' })).toEqual([])
  })

  it('is left alone by a rotation of another tenant', async () => {
    const secrets = new FaultySecretStore(world.secrets)
    const left = await leaveRunToRollBack(secrets)
    const other = await seedTenant(world, { name: 'Other district', devices: 1 })
    secrets.failDeleteOf.clear()

    await engineFor(world, { secrets }).rotate(rotationInput(other.credential.id))

    expect(journalOf(left.runId)).toEqual(left)
  })

  it('does not block the tenant once only its old key is left to purge', async () => {
    const secrets = new FaultySecretStore(world.secrets)
    const first = await leaveRunToPurge(secrets)
    expect(first.journal).toMatchObject({ step: 'purge', rotatedAudited: true })

    const second = await engineFor(world).rotate(rotationInput(first.outcome.newCredentialId))

    expect(world.state.read().tenants[tenant.tenantId]?.activeCredentialId).toBe(
      second.newCredentialId,
    )
    expect(await world.secrets.accounts()).toEqual([second.newCredentialId])
    expect(world.audit.list({ kind: 'credential.rotated' })).toHaveLength(2)
    expect(world.audit.list({ kind: 'rotation.recovered' }).map((e) => e.details)).toEqual([
      {
        runId: first.journal.runId,
        action: 'old_key_removed',
        retiredCredentialId: tenant.credential.id,
      },
    ])
    expect(await checkInvariants(world)).toEqual([])
  })
})
