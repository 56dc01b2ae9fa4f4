import { beforeEach, describe, expect, it } from 'vitest'
import type { Credential } from '../../../preload/model'
import {
  addPendingCredential,
  applyCutover,
  discardPendingCredential,
  isCutOver,
} from '../../../main/rotation/credential-transitions'
import { RotationConflictError } from '../../../main/rotation/errors'
import type { RotationJournal } from '../../../main/rotation/journal'
import { emptyState, type AppState } from '../../../main/vault/state-store'
import { addTenant, stageReplacement } from '../../support/rotation-state'

const CUTOVER_AT = new Date('2025-06-01T10:00:00.000Z')

let state: AppState
let old: Credential
let next: Credential
let journal: RotationJournal

beforeEach(() => {
  state = emptyState()
  old = addTenant(state, 'West Campus')
  ;({ next, journal } = stageReplacement(state, old))
})

describe('applyCutover', () => {
  it('binds the tenant to the new credential, activates it and retires the old one', () => {
    applyCutover(state, journal, CUTOVER_AT)

    expect(isCutOver(state, journal)).toBe(true)
    expect(state.credentials[next.id]).toMatchObject({
      status: 'active',
      activatedAt: CUTOVER_AT.toISOString(),
    })
    expect(state.credentials[old.id]).toMatchObject({
      status: 'retired',
      retiredAt: CUTOVER_AT.toISOString(),
      replacedBy: next.id,
    })
  })

  it('changes nothing when applied again later', () => {
    applyCutover(state, journal, CUTOVER_AT)
    const once = structuredClone(state)
    applyCutover(state, journal, new Date('2025-07-01T00:00:00.000Z'))
    expect(state).toEqual(once)
  })

  it('refuses when the tenant was bound to another credential meanwhile', () => {
    const tenant = state.tenants[old.tenantId]
    if (tenant) tenant.activeCredentialId = null
    expect(() => applyCutover(state, journal, CUTOVER_AT)).toThrow(RotationConflictError)
  })

  it('refuses when the pending record is gone', () => {
    delete state.credentials[next.id]
    expect(() => applyCutover(state, journal, CUTOVER_AT)).toThrow(RotationConflictError)
    expect(state.credentials[old.id]?.status).toBe('active')
  })
})

describe('discardPendingCredential', () => {
  it('removes the pending record and nothing else', () => {
    discardPendingCredential(state, journal)
    expect(Object.keys(state.credentials)).toEqual([old.id])
  })

  it('never removes a credential the tenant already uses', () => {
    applyCutover(state, journal, CUTOVER_AT)
    expect(() => discardPendingCredential(state, journal)).toThrow(RotationConflictError)
    expect(state.credentials[next.id]?.status).toBe('active')
  })
})

describe('addPendingCredential', () => {
  it('refuses a record that is not pending or whose id is taken', () => {
    expect(() => addPendingCredential(state, { ...next, id: 'x', status: 'active' })).toThrow(
      TypeError,
    )
    expect(() => addPendingCredential(state, next)).toThrow(RotationConflictError)
  })
})
