// A token bucket per org, like a server-side rate limit: `burst` requests at once, then
// `perSecond` on average. A request that finds the bucket empty is told when to come back.

export interface RateLimit {
  perSecond: number
  burst: number
}

interface Bucket {
  tokens: number
  at: number
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>()
  #limit: RateLimit | undefined

  /** undefined when the request may go on, else the seconds to wait (Retry-After). */
  take(orgId: string, limit: RateLimit): number | undefined {
    if (limit !== this.#limit) {
      // A new limit starts every bucket full.
      this.#buckets.clear()
      this.#limit = limit
    }
    const now = Date.now()
    const bucket = this.#buckets.get(orgId) ?? { tokens: limit.burst, at: now }
    bucket.tokens = Math.min(
      limit.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond,
    )
    bucket.at = now
    this.#buckets.set(orgId, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return undefined
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond))
  }
}
