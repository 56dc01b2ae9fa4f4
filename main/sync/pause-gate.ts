// Lets a credential change hold a running sync at a safe point: requests in flight are abandoned
// (they are asked again afterwards), the batch that finished is written, and the run waits at its
// next checkpoint until the change is over. The rotation's before/after snapshots are then taken
// while nothing writes, and the run goes on with a token of whichever credential is active.

/** The reason a request was abandoned for a pause, so callers can tell it from a cancel. */
export class PausedError extends Error {
  override name = 'PausedError'
}

export class PauseGate {
  #controller = new AbortController()
  #paused: { resume: Promise<void>; release: () => void } | undefined
  /** Those waiting for the run to reach its checkpoint; empty while it waits there. */
  #arrivals: Array<() => void> = []
  #waiting = false
  #holds = 0

  /** Aborts when a pause is asked for; requests pass it alongside the run's cancel signal. */
  get signal(): AbortSignal {
    return this.#controller.signal
  }

  get paused(): boolean {
    return this.#paused !== undefined
  }

  /**
   * Asks the run to stop at its next checkpoint; resolves once it is there (or `idle` resolves
   * first: the run ended). The returned function lets it go on.
   */
  async hold(idle: Promise<unknown>): Promise<() => void> {
    this.#holds++
    if (!this.#paused) {
      let release = () => {}
      const resume = new Promise<void>((resolve) => (release = resolve))
      this.#paused = { resume, release }
      this.#controller.abort(new PausedError('paused for a credential change'))
    }
    if (!this.#waiting) {
      await Promise.race([new Promise<void>((resolve) => this.#arrivals.push(resolve)), idle])
    }
    let released = false
    return () => {
      if (released) return
      released = true
      if (--this.#holds === 0) this.#release()
    }
  }

  /** Called by the run between batches: waits there while a pause is held. */
  async checkpoint(): Promise<boolean> {
    const paused = this.#paused
    if (!paused) return false
    this.#waiting = true
    for (const arrived of this.#arrivals.splice(0)) arrived()
    await paused.resume
    this.#waiting = false
    return true
  }

  #release(): void {
    const paused = this.#paused
    this.#paused = undefined
    this.#controller = new AbortController()
    paused?.release()
  }
}
