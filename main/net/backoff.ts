// How long to wait before trying a request again. Apple does not document Retry-After, so both of
// its forms are read (seconds, HTTP-date) and clamped; without one, the wait doubles per attempt up
// to a cap, with jitter so that several workers never retry in lockstep.

export interface BackoffPolicy {
  /** The first wait without Retry-After; each further attempt doubles it. */
  baseMs: number
  /** No computed wait exceeds this. */
  capMs: number
  /** Retry-After is honoured within these bounds. */
  retryAfterMinMs: number
  retryAfterMaxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 1_000,
  capMs: 30_000,
  retryAfterMinMs: 1_000,
  retryAfterMaxMs: 60_000,
}

/** The wait a Retry-After header asks for, clamped; undefined when absent or unreadable. */
export function retryAfterMs(
  header: string | null,
  policy: BackoffPolicy,
  now: number = Date.now(),
): number | undefined {
  const value = header?.trim()
  if (!value) return undefined
  let ms: number
  if (/^\d+$/.test(value)) ms = Number(value) * 1000
  else {
    // Every HTTP-date form starts with the day's name; Date.parse alone would take "-5" as a year.
    const at = /^[A-Za-z]{3}/.test(value) ? Date.parse(value) : Number.NaN
    if (Number.isNaN(at)) return undefined
    ms = at - now
  }
  return Math.min(policy.retryAfterMaxMs, Math.max(policy.retryAfterMinMs, ms))
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 0): half of the doubled delay fixed,
 * half random ("equal jitter"), so waits still grow while workers spread out.
 */
export function backoffMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const delay = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30))
  return Math.round(delay / 2 + random() * (delay / 2))
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason as Error)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
