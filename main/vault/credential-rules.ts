// The rules a credential must meet before it is recorded, shared by adding a credential and by a
// rotation staging its new one: well-formed fields, a scope that fits the Client ID, and no Client
// ID or key that another live credential already uses.
import type { ZodMiniType } from 'zod/mini'
import {
  clientIdSchema,
  displayNameSchema,
  keyIdSchema,
  scopeOfClientId,
  type Credential,
  type Scope,
} from '../../preload/model'
import type { AppState } from './state-store'
import { VaultError } from './errors'

export interface CredentialFields {
  name: string
  clientId: string
  keyId: string
  scope: Scope
}

const SCOPE_NAMES: Record<Scope, string> = {
  business: 'Apple Business Manager (business)',
  school: 'Apple School Manager (school)',
}

/** Trimmed, checked fields; the scope defaults to the one the Client ID was issued for. */
export function validateCredentialFields(input: {
  name: string
  clientId: string
  keyId: string
  scope?: Scope
}): CredentialFields {
  const clientId = parseField(clientIdSchema, input.clientId)
  const issuedFor = scopeOfClientId(clientId)
  if (input.scope !== undefined && input.scope !== issuedFor) {
    throw new VaultError(
      'invalid_input',
      `This Client ID was issued by ${SCOPE_NAMES[issuedFor]}, not ${SCOPE_NAMES[input.scope]}.`,
    )
  }
  return {
    name: parseName(input.name),
    clientId,
    keyId: parseField(keyIdSchema, input.keyId),
    scope: issuedFor,
  }
}

export function parseName(name: string): string {
  return parseField(displayNameSchema, name)
}

/** Refuses a Client ID or a key already used by a pending or active credential. */
export function assertNoConflict(
  state: AppState,
  candidate: Pick<Credential, 'clientId' | 'publicKeyFingerprint'>,
): void {
  const live = Object.values(state.credentials).filter((c) => c.status !== 'retired')
  const sameClient = live.find((c) => c.clientId.toLowerCase() === candidate.clientId.toLowerCase())
  if (sameClient) {
    throw new VaultError(
      'duplicate_client_id',
      `This Client ID is already used by the credential "${sameClient.name}".`,
    )
  }
  const sameKey = live.find((c) => c.publicKeyFingerprint === candidate.publicKeyFingerprint)
  if (sameKey) {
    throw new VaultError(
      'key_invalid',
      `This private key is already used by the credential "${sameKey.name}". Each credential has its own key.`,
    )
  }
}

function parseField(schema: ZodMiniType<string>, value: string): string {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  throw new VaultError(
    'invalid_input',
    parsed.error.issues[0]?.message ?? 'This field is not valid.',
  )
}
