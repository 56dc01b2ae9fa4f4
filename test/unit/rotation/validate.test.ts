import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Credential } from '../../../preload/model'
import { RotationError } from '../../../main/rotation/errors'
import { validateRotation, type RotationRequest } from '../../../main/rotation/validate'
import { emptyState, type AppState } from '../../../main/vault/state-store'
import { addTenant, clientIdFor, stageReplacement } from '../../support/rotation-state'

let state: AppState
let old: Credential

beforeEach(() => {
  state = emptyState()
  old = addTenant(state, 'North Campus')
})

function request(overrides: Partial<RotationRequest> = {}): RotationRequest {
  return {
    runId: randomUUID(),
    credentialId: old.id,
    name: 'North Campus 2026',
    clientId: clientIdFor('business'),
    keyId: randomUUID(),
    publicKeyFingerprint: 'f'.repeat(64),
    ...overrides,
  }
}

function refusal(input: RotationRequest): RotationError {
  try {
    validateRotation(state, input)
  } catch (error) {
    expect(error).toBeInstanceOf(RotationError)
    expect((error as RotationError).step).toBe('validate')
    expect((error as RotationError).message).toMatch(/Nothing was changed\.$/)
    return error as RotationError
  }
  throw new Error('the request was accepted')
}

describe('validateRotation', () => {
  it('accepts a new key and answers the trimmed fields, the tenant and the old credential', () => {
    const clientId = clientIdFor()
    const validated = validateRotation(
      state,
      request({ name: '  North 2026 ', clientId: ` ${clientId} ` }),
    )
    expect(validated).toMatchObject({ name: 'North 2026', clientId, old: { id: old.id } })
    expect(validated.tenant.id).toBe(old.tenantId)
  })

  it("accepts the tenant's own Client ID with a new Key ID", () => {
    const validated = validateRotation(state, request({ clientId: old.clientId }))
    expect(validated.clientId).toBe(old.clientId)
  })

  it('refuses an unknown credential', () => {
    expect(refusal(request({ credentialId: 'nope' })).code).toBe('invalid_input')
  })

  it('refuses a credential that is not its tenant active one', () => {
    const { next } = stageReplacement(state, old)
    expect(refusal(request({ credentialId: next.id })).message).toMatch(/not its tenant's active/)
  })

  it('refuses while another run holds the tenant', () => {
    stageReplacement(state, old)
    expect(refusal(request()).code).toBe('busy')
  })

  it('refuses a damaged journal as if it held the tenant', () => {
    state.rotations.broken = { step: 'nonsense' }
    expect(refusal(request()).code).toBe('busy')
  })

  it('refuses a Client ID issued for the other scope', () => {
    const error = refusal(request({ clientId: clientIdFor('school') }))
    expect(error).toMatchObject({ code: 'invalid_input' })
    expect(error.message).toMatch(/Apple School Manager/)
  })

  it('refuses the key in use', () => {
    const error = refusal(request({ publicKeyFingerprint: old.publicKeyFingerprint }))
    expect(error.message).toMatch(/already uses/)
  })

  it('refuses the Client ID and Key ID in use', () => {
    const error = refusal(request({ clientId: old.clientId, keyId: old.keyId }))
    expect(error.message).toMatch(/new Key ID/)
  })

  it('refuses a live Client ID of another tenant, in any letter case, but not a retired one', () => {
    const other = addTenant(state, 'South Campus')
    const duplicate = refusal(request({ clientId: other.clientId.toUpperCase() }))
    expect(duplicate.code).toBe('duplicate_client_id')
    expect(duplicate.message).toMatch(/South Campus/)

    other.status = 'retired'
    expect(validateRotation(state, request({ clientId: other.clientId })).clientId).toBe(
      other.clientId,
    )
  })

  it("refuses a key another tenant's credential uses", () => {
    const other = addTenant(state, 'South Campus')
    const error = refusal(request({ publicKeyFingerprint: other.publicKeyFingerprint }))
    expect(error).toMatchObject({ code: 'invalid_input' })
    expect(error.message).toMatch(/already used by the credential "South Campus"/)
  })

  it.each([
    [{ name: '' }, /Name is required/],
    [{ name: 'x'.repeat(121) }, /at most 120/],
    [{ clientId: 'SCHOOLAPI.123' }, /Client ID looks like/],
    [{ keyId: 'not-a-uuid' }, /Key ID is a UUID/],
  ])('refuses malformed fields %o', (overrides, message) => {
    const error = refusal(request(overrides))
    expect(error.code).toBe('invalid_input')
    expect(error.message).toMatch(message)
  })
})
