// Exchanges a client assertion for an access token at Apple's OAuth token endpoint. Callers use
// the exchange to prove a credential works; the token itself is never logged, stored or sent on.
import type { ErrorCode } from '../../preload/contract'
import type { Scope } from '../../preload/model'
import { canceled, timedOut, unreachable } from './auth-error'
import { parseTokenResponse, type AccessToken } from './token-response'

export { AuthError, type AuthErrorCode } from './auth-error'
export type { AccessToken } from './token-response'

export const APPLE_TOKEN_URL = 'https://account.apple.com/auth/oauth2/token'
export const TOKEN_URL_ENV = 'AXM_OAUTH_TOKEN_URL'
export const DEFAULT_TOKEN_TIMEOUT_MS = 20_000

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const SCOPE_PARAMETER: Record<Scope, string> = { business: 'business.api', school: 'school.api' }

/** The token URL override is unusable. Only developers and tests set it. */
export class TokenUrlError extends Error {
  override name = 'TokenUrlError'
  readonly code: ErrorCode = 'invalid_input'
}

export interface TokenUrlOptions {
  packaged: boolean
  env?: NodeJS.ProcessEnv
}

/** Apple's token URL, or the loopback test endpoint of `tokenUrlOverride`. */
export function resolveTokenUrl(options: TokenUrlOptions): string {
  return tokenUrlOverride(options)?.href ?? APPLE_TOKEN_URL
}

/**
 * The `AXM_OAUTH_TOKEN_URL` test endpoint in effect, or undefined when Apple's is used (always, in
 * a packaged build). The token request carries a freshly signed assertion that Apple accepts for
 * minutes, so the override may only name this computer: a variable left in a shell profile must
 * not be able to send it to another host. Returned, so a caller can say that one is in effect.
 */
export function tokenUrlOverride(options: TokenUrlOptions): URL | undefined {
  const override = (options.env ?? process.env)[TOKEN_URL_ENV]?.trim()
  if (options.packaged || !override) return undefined
  let url: URL
  try {
    url = new URL(override)
  } catch {
    throw new TokenUrlError(`${TOKEN_URL_ENV} is not a URL.`)
  }
  if ((url.protocol === 'https:' || url.protocol === 'http:') && isLoopbackHost(url.hostname)) {
    return url
  }
  // protocol and host only: a user name or password in the URL is not repeated.
  throw new TokenUrlError(
    `${TOKEN_URL_ENV} may only point at a test server on this computer ` +
      `(localhost, 127.0.0.1 or [::1], over http or https); ${url.protocol}//${url.host} is not one. ` +
      `Unset ${TOKEN_URL_ENV} to use Apple's sign-in service.`,
  )
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

export interface TokenRequest {
  tokenUrl: string
  clientId: string
  scope: Scope
  assertion: string
  timeoutMs?: number
  signal?: AbortSignal
}

/** Resolves with the token, or rejects with an AuthError whose message says what to do. */
export async function requestAccessToken(input: TokenRequest): Promise<AccessToken> {
  const timeoutMs = input.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = input.signal ? AbortSignal.any([timeout, input.signal]) : timeout
  let status: number
  let body: string
  try {
    const response = await fetch(input.tokenUrl, {
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
  return parseTokenResponse(status, body)
}

/** fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function systemErrorCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined
  const code = (cause as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : undefined
}
