// Test Connection and the rotation's confirm step: does Apple accept this credential? A signed
// assertion is exchanged for an access token; the answer is kept as a ConnectionCheck and the token
// is dropped on the spot.
import type { ConnectionCheck, Scope } from '../../preload/model'
import { AuthError } from './auth-error'
import { ClientAssertionError, createClientAssertion } from './client-assertion'
import type { HttpFetch } from '../net/http'
import { requestAccessToken } from './token-client'

export interface CredentialCheckInput {
  clientId: string
  keyId: string
  scope: Scope
  privateKeyPem: string
  tokenUrl: string
  fetch?: HttpFetch
  timeoutMs?: number
  signal?: AbortSignal
  now?: () => Date
}

/**
 * Never rejects for a failed check (Apple refused, unreachable, timed out, canceled, unusable key):
 * those come back as `ok: false` with a message to show. Anything else is a bug and is thrown.
 */
export async function checkCredential(input: CredentialCheckInput): Promise<ConnectionCheck> {
  const now = input.now ?? (() => new Date())
  let message: string
  let ok: boolean
  let reason: ConnectionCheck['reason']
  try {
    const { clientId, keyId, scope, privateKeyPem, tokenUrl, timeoutMs, signal, fetch } = input
    const assertion = createClientAssertion({ clientId, keyId, privateKeyPem, now: now() })
    await requestAccessToken({ tokenUrl, clientId, scope, assertion, timeoutMs, signal, fetch })
    ok = true
    message = 'Apple accepted this credential.'
  } catch (error) {
    if (!(error instanceof AuthError || error instanceof ClientAssertionError)) throw error
    ok = false
    message = error.message
    if (error instanceof AuthError) reason = error.code
  }
  return { at: now().toISOString(), ok, message, ...(reason ? { reason } : {}) }
}
