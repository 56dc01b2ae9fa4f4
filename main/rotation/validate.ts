// Step 1 of Change Credential: every check that needs no network, run against one read of the state
// inside the same locked write that claims the tenant, so two rotations can never pass it at once.
// Field and conflict rules are the vault's, shared with adding a credential.
import type { Credential, Tenant } from '../../preload/model'
import { assertNoConflict, validateCredentialFields } from '../vault/credential-rules'
import { VaultError } from '../vault/errors'
import type { AppState } from '../vault/state-store'
import { refused } from './errors'
import { tenantHasJournal } from './journal'

export interface RotationRequest {
  runId: string
  credentialId: string
  name: string
  clientId: string
  keyId: string
  publicKeyFingerprint: string
}

export interface ValidatedRotation {
  tenant: Tenant
  old: Credential
  /** The fields as they will be stored (trimmed). */
  name: string
  clientId: string
  keyId: string
}

/** Throws a RotationError (step `validate`) naming the first problem found. */
export function validateRotation(state: AppState, request: RotationRequest): ValidatedRotation {
  const old = state.credentials[request.credentialId]
  if (!old) throw refused('invalid_input', 'The credential to change no longer exists.')
  const tenant = state.tenants[old.tenantId]
  if (!tenant || old.status !== 'active' || tenant.activeCredentialId !== old.id) {
    throw refused(
      'invalid_input',
      `"${old.name}" is not its tenant's active credential, so it cannot be changed.`,
    )
  }
  if (request.runId in state.rotations || tenantHasJournal(state, tenant.id)) {
    throw refused(
      'busy',
      `A credential change for "${tenant.name}" is already running. Wait for it to finish, or restart the app if it was interrupted.`,
    )
  }
  const fields = vaultRule(() => validateCredentialFields({ ...request, scope: tenant.scope }))
  if (request.publicKeyFingerprint === old.publicKeyFingerprint) {
    throw refused(
      'invalid_input',
      `This is the key "${old.name}" already uses. Choose the new private key you downloaded from Apple.`,
    )
  }
  // Apple can issue a new key for the same API account: the Client ID may stay, the Key ID must not.
  if (fields.clientId === old.clientId && fields.keyId === old.keyId) {
    throw refused(
      'invalid_input',
      'The Client ID and Key ID are the ones in use now. A new key from Apple comes with a new Key ID.',
    )
  }
  // The credential being replaced is the one live credential allowed to share the Client ID.
  const others = Object.fromEntries(
    Object.entries(state.credentials).filter(([id]) => id !== old.id),
  )
  const candidate = {
    clientId: fields.clientId,
    publicKeyFingerprint: request.publicKeyFingerprint,
  }
  vaultRule(() => assertNoConflict({ ...state, credentials: others }, candidate))
  return { tenant, old, name: fields.name, clientId: fields.clientId, keyId: fields.keyId }
}

/** Runs one of the vault's rules, reporting its refusal as a refusal of this step. */
function vaultRule<T>(rule: () => T): T {
  try {
    return rule()
  } catch (error) {
    if (!(error instanceof VaultError)) throw error
    const code = error.code === 'duplicate_client_id' ? error.code : 'invalid_input'
    throw refused(code, error.message)
  }
}
