// Long work the admin can cancel from the window (a CSV import, a CSV export), one of a kind per
// tenant at a time: the cancel method of its kind finds it here by tenant.

export class RunningJobs {
  readonly #running = new Map<string, AbortController>()

  /** Runs `work` as the tenant's job of this kind; `signal` aborts when it is canceled. */
  async run<T>(tenantId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    this.#running.set(tenantId, controller)
    try {
      return await work(controller.signal)
    } finally {
      if (this.#running.get(tenantId) === controller) this.#running.delete(tenantId)
    }
  }

  /** Stops the tenant's job; `canceled` says whether one was running. */
  cancel(tenantId: string): { canceled: boolean } {
    const running = this.#running.get(tenantId)
    running?.abort()
    return { canceled: running !== undefined }
  }
}
