// The changes a rotation makes to credential and tenant records, each applied inside one
// state.update so it lands in one atomic write together with the journal step that covers it.
import type { Credential } from '../../preload/model'
import type { AppState } from '../vault/state-store'
import { RotationConflictError } from './errors'
import type { RotationJournal } from './journal'

/** True once the tenant is bound to the new credential: from then on the run can only go forward. */
export function isCutOver(state: AppState, journal: RotationJournal): boolean {
  return state.tenants[journal.tenantId]?.activeCredentialId === journal.newCredentialId
}

export function addPendingCredential(state: AppState, record: Credential): void {
  if (record.status !== 'pending') throw new TypeError('a staged credential starts as pending')
  if (state.credentials[record.id]) {
    throw new RotationConflictError('a credential with the new id already exists.')
  }
  state.credentials[record.id] = record
}

/**
 * Binds the tenant to the new credential, activates it and retires the old one. Idempotent, so
 * recovery can re-apply it to make sure a half-seen cutover is whole.
 */
export function applyCutover(state: AppState, journal: RotationJournal, at: Date): void {
  const tenant = state.tenants[journal.tenantId]
  const next = state.credentials[journal.newCredentialId]
  const old = state.credentials[journal.oldCredentialId]
  const boundToOld = tenant?.activeCredentialId === journal.oldCredentialId
  if (!tenant || !next || !old || !(boundToOld || isCutOver(state, journal))) {
    throw new RotationConflictError(
      'the tenant or one of its credentials was changed elsewhere while the change ran.',
    )
  }
  const timestamp = at.toISOString()
  tenant.activeCredentialId = next.id
  if (next.status !== 'active') {
    next.status = 'active'
    next.activatedAt = timestamp
  }
  if (old.status !== 'retired') {
    old.status = 'retired'
    old.retiredAt = timestamp
    old.replacedBy = next.id
  }
}

/** Removes the staged record, if it is still only staged; an active one is never removed. */
export function discardPendingCredential(state: AppState, journal: RotationJournal): void {
  if (isCutOver(state, journal)) {
    throw new RotationConflictError('the tenant already uses the new credential.')
  }
  if (state.credentials[journal.newCredentialId]?.status === 'pending') {
    delete state.credentials[journal.newCredentialId]
  }
}
