// GET requests to Apple's API for one tenant, with everything a long run meets on the way: the
// tenant's limiter, a bearer token renewed once on a 401, 429s honoured (Retry-After, else a
// jittered backoff, holding every worker of the tenant), and 5xx answers, timeouts and connections
// reset before or during the body retried a bounded number of times. The body is read inside the
// retry, since a connection can drop after the headers. URLs are always built from our own base.
import { backoffMs, DEFAULT_BACKOFF, retryAfterMs, sleep, type BackoffPolicy } from '../net/backoff'
import { ResponseTooLargeError, systemErrorCode, type HttpFetch } from '../net/http'
import type { Scope } from '../../preload/model'
import { tokenRefusedTwice } from './sync-errors'
import type { TenantLimiter } from './tenant-limiter'
import { TokenUnavailableError, type AccessTokenSource, type IssuedToken } from './token-source'

export interface RetryPolicy extends BackoffPolicy {
  /** Tries for one request through 5xx, timeouts and resets. */
  maxAttempts: number
  /** 429s one request may meet before it is given up. */
  maxRateLimited: number
  timeoutMs: number
}

export const DEFAULT_RETRY: RetryPolicy = {
  ...DEFAULT_BACKOFF,
  maxAttempts: 4,
  maxRateLimited: 8,
  timeoutMs: 40_000,
}

/** What the caller acts on; 5xx, timeouts, resets and 429 never reach it unless retries ran out. */
export type ApiAnswer =
  | { kind: 'ok'; body: unknown }
  | { kind: 'notFound' }
  | { kind: 'forbidden' }
  | { kind: 'badRequest' }
  /** An answer this app cannot use (another status, a body that is not JSON): `detail` says which. */
  | { kind: 'unexpected'; detail: string }

/** A request's retries ran out; `detail` is the last cause ("HTTP 503", "ECONNRESET", "timeout"). */
export class RetriesExhaustedError extends Error {
  override name = 'RetriesExhaustedError'
  constructor(
    readonly detail: string,
    readonly attempts: number,
  ) {
    super(`Gave up after ${attempts} tries (${detail}).`)
  }
}

/** Counted for the run record, across every request of the run. */
export interface RequestCounters {
  retries: number
  rateLimitWaits: number
  rateLimitWaitMs: number
}

export interface ApiClientDeps {
  http: HttpFetch
  baseUrl: string
  scope: Scope
  tokens: AccessTokenSource
  limiter: TenantLimiter
  counters: RequestCounters
  policy?: RetryPolicy
  /** Told when a 429 makes the tenant's requests wait, with the time they go on (epoch ms). */
  onRateLimitWait?(until: number): void
  random?: () => number
}

type Attempt =
  | ApiAnswer
  | { kind: 'unauthorized'; token: IssuedToken }
  | { kind: 'rateLimited'; retryAfter: string | null }
  | { kind: 'transient'; detail: string }

export class AppleApiClient {
  readonly #deps: ApiClientDeps
  readonly #policy: RetryPolicy

  constructor(deps: ApiClientDeps) {
    this.#deps = deps
    this.#policy = deps.policy ?? DEFAULT_RETRY
  }

  /** GET `path` (starting with /v1/) with `query`; rejects with RetriesExhaustedError or a SyncError. */
  async get(path: string, query: Record<string, string>, signal: AbortSignal): Promise<ApiAnswer> {
    const url = new URL(`${this.#deps.baseUrl}${path}`)
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
    let failures = 0
    let rateLimited = 0
    let refusedToken: IssuedToken | undefined
    for (;;) {
      const attempt = await this.#deps.limiter.run(() => this.#attempt(url.href, signal), signal)
      switch (attempt.kind) {
        case 'unauthorized':
          // One new token per request; a second refusal of a fresh token is Apple's verdict.
          if (refusedToken && refusedToken.value !== attempt.token.value) {
            throw tokenRefusedTwice(this.#deps.scope)
          }
          refusedToken = attempt.token
          this.#deps.tokens.refused(attempt.token)
          continue
        case 'rateLimited': {
          if (++rateLimited > this.#policy.maxRateLimited) {
            throw new RetriesExhaustedError('HTTP 429', failures + rateLimited)
          }
          const wait =
            retryAfterMs(attempt.retryAfter, this.#policy) ??
            backoffMs(rateLimited - 1, this.#policy, this.#deps.random)
          this.#deps.counters.rateLimitWaits++
          this.#deps.counters.rateLimitWaitMs += wait
          const until = Date.now() + wait
          this.#deps.limiter.holdUntil(until)
          this.#deps.onRateLimitWait?.(until)
          continue
        }
        case 'transient':
          if (++failures >= this.#policy.maxAttempts) {
            throw new RetriesExhaustedError(attempt.detail, failures)
          }
          this.#deps.counters.retries++
          await sleep(backoffMs(failures - 1, this.#policy, this.#deps.random), signal)
          continue
        default:
          return attempt
      }
    }
  }

  async #attempt(url: string, signal: AbortSignal): Promise<Attempt> {
    let token: IssuedToken
    try {
      token = await this.#deps.tokens.token(signal)
    } catch (error) {
      if (error instanceof TokenUnavailableError) {
        return error.detail === 'rate_limited'
          ? { kind: 'rateLimited', retryAfter: null }
          : { kind: 'transient', detail: `sign-in ${error.detail}` }
      }
      throw error
    }
    const timeout = AbortSignal.timeout(this.#policy.timeoutMs)
    let status: number
    let retryAfter: string | null
    let text: string
    try {
      const response = await this.#deps.http(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${token.value}`, accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.any([signal, timeout]),
      })
      status = response.status
      retryAfter = response.header('retry-after')
      text = await response.text()
    } catch (error) {
      signal.throwIfAborted()
      if (timeout.aborted) return { kind: 'transient', detail: 'timeout' }
      if (error instanceof ResponseTooLargeError)
        return { kind: 'unexpected', detail: error.message }
      return { kind: 'transient', detail: systemErrorCode(error) ?? 'connection lost' }
    }
    return classify(status, retryAfter, text, token)
  }
}

function classify(
  status: number,
  retryAfter: string | null,
  text: string,
  token: IssuedToken,
): Attempt {
  if (status === 200) {
    try {
      return { kind: 'ok', body: JSON.parse(text) as unknown }
    } catch {
      return { kind: 'unexpected', detail: 'HTTP 200 with a body that is not JSON' }
    }
  }
  if (status === 401) return { kind: 'unauthorized', token }
  if (status === 429) return { kind: 'rateLimited', retryAfter }
  if (status >= 500) return { kind: 'transient', detail: `HTTP ${status}` }
  if (status === 404) return { kind: 'notFound' }
  if (status === 403) return { kind: 'forbidden' }
  if (status === 400) return { kind: 'badRequest' }
  return { kind: 'unexpected', detail: `HTTP ${status}` }
}
