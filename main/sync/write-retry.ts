// The sync writes through a connection of its own that never waits inside SQLite: a busy database
// (a CSV import holding the write lock for seconds, the command line writing at the same moment)
// would otherwise block the app's main thread for as long as SQLite's busy timeout. The wait
// happens here instead, between turns of the event loop.
import { sleep } from '../net/backoff'

const RETRY_EVERY_MS = 50
/** A CSV import of a million devices holds the lock for about a minute. */
const GIVE_UP_AFTER_MS = 5 * 60_000

export async function withWriteRetry<T>(work: () => T, signal?: AbortSignal): Promise<T> {
  const started = Date.now()
  for (;;) {
    try {
      return work()
    } catch (error) {
      if (!isBusy(error) || Date.now() - started > GIVE_UP_AFTER_MS) throw error
    }
    // A canceled run still writes its last batch; only the wait gives way.
    await sleep(RETRY_EVERY_MS, signal?.aborted ? undefined : signal).catch(() => undefined)
  }
}

/** SQLITE_BUSY (5) and SQLITE_LOCKED (6), as node:sqlite reports them. */
function isBusy(error: unknown): boolean {
  const errcode = (error as { errcode?: unknown } | null)?.errcode
  return typeof errcode === 'number' && ((errcode & 0xff) === 5 || (errcode & 0xff) === 6)
}
