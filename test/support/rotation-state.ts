// Plain AppState values for the rotation engine's unit tests: tenants with one active credential,
// built in memory with no keychain or file behind them.
import { randomUUID } from 'node:crypto'
import type { Credential, Scope } from '../../preload/model'
import type { RotationJournal } from '../../main/rotation/journal'
import type { AppState } from '../../main/vault/state-store'

const AT = '2025-05-01T08:00:00.000Z'

export function clientIdFor(scope: Scope = 'business'): string {
  return `${scope === 'school' ? 'SCHOOLAPI' : 'BUSINESSAPI'}.${randomUUID()}`
}

/** Adds a tenant bound to one active credential; returns the credential. */
export function addTenant(state: AppState, name: string, scope: Scope = 'business'): Credential {
  const tenantId = randomUUID()
  const credential: Credential = {
    id: randomUUID(),
    tenantId,
    name,
    clientId: clientIdFor(scope),
    keyId: randomUUID(),
    scope,
    publicKeyFingerprint: randomUUID().replaceAll('-', '').repeat(2),
    status: 'active',
    origin: 'manual',
    createdAt: AT,
    activatedAt: AT,
  }
  state.tenants[tenantId] = {
    id: tenantId,
    name,
    scope,
    activeCredentialId: credential.id,
    createdAt: AT,
  }
  state.credentials[credential.id] = credential
  return credential
}

/** A pending replacement of `old` and the journal of the run that staged it. */
export function stageReplacement(
  state: AppState,
  old: Credential,
): { next: Credential; journal: RotationJournal } {
  const next: Credential = {
    ...old,
    id: randomUUID(),
    name: `${old.name} (new)`,
    keyId: randomUUID(),
    publicKeyFingerprint: randomUUID().replaceAll('-', '').repeat(2),
    status: 'pending',
    replaces: old.id,
  }
  delete next.activatedAt
  const journal: RotationJournal = {
    runId: randomUUID(),
    tenantId: old.tenantId,
    oldCredentialId: old.id,
    newCredentialId: next.id,
    step: 'confirm',
    startedAt: AT,
    updatedAt: AT,
    ownerPid: process.pid,
  }
  state.credentials[next.id] = next
  state.rotations[journal.runId] = journal
  return { next, journal }
}
