// The host side the handlers need, for tests: the OS file dialogs become answers the test queues up
// beforehand, and events go to whoever listens (the api server's event stream).
import type { ContractEvents, EventName } from '../../../preload/contract'
import type { Platform } from '../../../main/ipc/handlers'

type Listener = <E extends EventName>(event: E, payload: ContractEvents[E]) => void

export class TestPlatform implements Platform {
  readonly #picks: (string | null)[] = []
  readonly #saves: (string | null)[] = []
  readonly #listeners = new Set<Listener>()

  /** The next open dialog answers with `path` (null: the user cancels). */
  pickNext(path: string | null): void {
    this.#picks.push(path)
  }

  /** The next save dialog answers with `path` (null: the user cancels). */
  saveNext(path: string | null): void {
    this.#saves.push(path)
  }

  async pickFile(): Promise<string | null> {
    return next(this.#picks, 'open')
  }

  async saveFile(): Promise<string | null> {
    return next(this.#saves, 'save')
  }

  emit<E extends EventName>(event: E, payload: ContractEvents[E]): void {
    for (const listener of this.#listeners) listener(event, payload)
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}

function next(queue: (string | null)[], kind: string): string | null {
  // A dialog the test did not prepare for is a mistake in the test: fail loudly, not as a cancel.
  if (queue.length === 0) throw new Error(`The test did not queue an answer for a ${kind} dialog`)
  return queue.shift() ?? null
}
