// One limiter per tenant, for every phase and worker of its sync: at most `concurrency` requests in
// flight, and when Apple answers 429 every worker of the tenant holds off until the wait is over
// (a throttled account is throttled for all its requests, not just the one that was told).
import { sleep } from '../net/backoff'

export class TenantLimiter {
  readonly #concurrency: number
  #inFlight = 0
  readonly #waiting: Array<() => void> = []
  #holdUntil = 0
  readonly #now: () => number

  constructor(concurrency: number, now: () => number = Date.now) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, not ${concurrency}`)
    }
    this.#concurrency = concurrency
    this.#now = now
  }

  /** Runs `work` in a free slot once no rate-limit hold is in effect. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal)
    try {
      await this.#waitForHold(signal)
      return await work()
    } finally {
      this.#release()
    }
  }

  /** Every request of the tenant waits until `until` (epoch ms); a later hold extends it. */
  holdUntil(until: number): void {
    this.#holdUntil = Math.max(this.#holdUntil, until)
  }

  async #waitForHold(signal?: AbortSignal): Promise<void> {
    for (let wait = this.#holdUntil - this.#now(); wait > 0; wait = this.#holdUntil - this.#now()) {
      await sleep(wait, signal)
    }
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    if (this.#inFlight < this.#concurrency) {
      this.#inFlight++
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = () => {
        const index = this.#waiting.indexOf(grant)
        if (index >= 0) this.#waiting.splice(index, 1)
        reject(signal?.reason as Error)
      }
      this.#waiting.push(grant)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  #release(): void {
    const next = this.#waiting.shift()
    // The slot passes straight to the next waiter, so the count stays as it is.
    if (next) next()
    else this.#inFlight--
  }
}
