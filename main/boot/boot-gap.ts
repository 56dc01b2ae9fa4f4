// Main reads the boot's answers as it serves the page (./opening-page.ts), but the page can only
// hear main's events once its scripts have run: an event sent in between (a managed credential
// pushed by the MDM, say) would be lost, and the page would show what it changed only after the
// next change. So the events that change a boot answer are kept while the page loads and sent
// again once it has; each of them is safe to hear twice (a state, or "this changed").
import type { ContractEvents, EventName } from '../../preload/contract'

type Emit = <E extends EventName>(event: E, payload: ContractEvents[E]) => void

/** The events that change a boot answer, each kept by what a later one of its kind replaces. */
const keyOf: { [E in EventName]?: (payload: ContractEvents[E]) => string } = {
  managedChanged: () => 'managedChanged',
  dataChanged: ({ what, tenantId }) => `dataChanged ${what} ${tenantId ?? ''}`,
}

export class BootGap {
  #loading = false
  readonly #missed = new Map<string, () => void>()

  /** `emit`, and meanwhile keeping what the loading page may miss. */
  constructor(private readonly emit: Emit) {}

  readonly send: Emit = (event, payload) => {
    this.emit(event, payload)
    const key = this.#loading ? keyOf[event]?.(payload) : undefined
    if (key !== undefined) this.#missed.set(key, () => this.emit(event, payload))
  }

  /** The page's answers are being read: it may miss the events from now until it has loaded. */
  opened(): void {
    this.#loading = true
    this.#missed.clear()
  }

  /** The page has loaded and listens: what it may have missed is sent again. */
  closed(): void {
    this.#loading = false
    const missed = [...this.#missed.values()]
    this.#missed.clear()
    for (const send of missed) send()
  }
}
