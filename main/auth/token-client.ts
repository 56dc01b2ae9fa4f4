// Exchanges a client assertion for an access token at Apple's OAuth token endpoint. Callers use
// the exchange to prove a credential works; the token itself is never logged, stored or sent on.
import type { Scope } from '../../preload/model'
import { httpFetch, systemErrorCode, type HttpFetch } from '../net/http'
import { loopbackOverride, type OverrideOptions } from '../net/loopback'
import { canceled, rateLimited, timedOut, unreachable } from './auth-error'
import { parseTokenResponse, type AccessToken } from './token-response'

export { AuthError, type AuthErrorCode } from './auth-error'
export type { AccessToken } from './token-response'

export const APPLE_TOKEN_URL = 'https://account.apple.com/auth/oauth2/token'
export const TOKEN_URL_ENV = 'AXM_OAUTH_TOKEN_URL'
export const DEFAULT_TOKEN_TIMEOUT_MS = 20_000

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const SCOPE_PARAMETER: Record<Scope, string> = { business: 'business.api', school: 'school.api' }

/** Apple's token URL, or the loopback test endpoint of `tokenUrlOverride`. */
export function resolveTokenUrl(options: OverrideOptions): string {
  return tokenUrlOverride(options)?.href ?? APPLE_TOKEN_URL
}

/**
 * The `AXM_OAUTH_TOKEN_URL` test endpoint in effect, or undefined when Apple's is used (always, in
 * a packaged build). Returned, so a caller can say that one is in effect.
 */
export function tokenUrlOverride(options: OverrideOptions): URL | undefined {
  return loopbackOverride(TOKEN_URL_ENV, "Apple's sign-in service", options)
}

export interface TokenRequest {
  tokenUrl: string
  clientId: string
  scope: Scope
  assertion: string
  timeoutMs?: number
  signal?: AbortSignal
  /** How requests reach Apple (HTTP/1.1, the proxy in effect); a direct connection by default. */
  fetch?: HttpFetch
}

/** Resolves with the token, or rejects with an AuthError whose message says what to do. */
export async function requestAccessToken(input: TokenRequest): Promise<AccessToken> {
  const timeoutMs = input.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = input.signal ? AbortSignal.any([timeout, input.signal]) : timeout
  let status: number
  let body: string
  try {
    const response = await (input.fetch ?? httpFetch)(input.tokenUrl, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: input.clientId,
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: input.assertion,
        scope: SCOPE_PARAMETER[input.scope],
      }),
      redirect: 'manual',
      signal,
    })
    status = response.status
    // The body is read under the same signal, so a server that stalls mid-answer times out too.
    body = await response.text()
  } catch (error) {
    if (input.signal?.aborted) throw canceled()
    if (timeout.aborted) throw timedOut(timeoutMs)
    throw unreachable(systemErrorCode(error), error)
  }
  // Throttling is no verdict on the key: callers wait and try again instead of reporting a refusal.
  if (status === 429) throw rateLimited()
  return parseTokenResponse(status, body)
}
