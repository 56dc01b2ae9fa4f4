import type { DatabaseSync } from 'node:sqlite'
import { runSteps, type Steps } from './steps'

/**
 * Runs `work` in one write transaction: all of it lands, or (on any throw) none of it does. The
 * write lock is taken up front (IMMEDIATE) so a second writer waits instead of failing half-way.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  return runSteps(transactionSteps(db, withoutPauses(work)))
}

/**
 * inTransaction for work that awaits (a file streaming in): the one transaction stays open across
 * the awaits, commits when `work` resolves, and rolls back when it rejects. The caller keeps other
 * work off this connection meanwhile (see TenantDatabase's busy guard).
 */
export async function inTransactionAsync<T>(db: DatabaseSync, work: () => Promise<T>): Promise<T> {
  db.exec('BEGIN IMMEDIATE')
  try {
    const result = await work()
    db.exec('COMMIT')
    return result
  } finally {
    if (db.isOpen && db.isTransaction) db.exec('ROLLBACK')
  }
}

/**
 * inTransaction for work that pauses: the one transaction stays open across the pauses, commits
 * when `steps` return, and rolls back when they throw or their runner abandons them.
 */
export function transactionSteps<T>(db: DatabaseSync, steps: Steps<T>): Steps<T> {
  return within(db, 'BEGIN IMMEDIATE', steps)
}

/**
 * Reads that pause, all from one snapshot of the data: what other connections commit meanwhile is
 * not seen. Deferred, so it takes no write lock and in WAL mode never holds up a writer.
 */
export function readTransactionSteps<T>(db: DatabaseSync, steps: Steps<T>): Steps<T> {
  return within(db, 'BEGIN', steps)
}

function* within<T>(db: DatabaseSync, begin: string, steps: Steps<T>): Steps<T> {
  // Outside the try: when BEGIN fails, the open transaction it ran into is not ours to roll back.
  db.exec(begin)
  try {
    const result = yield* steps
    db.exec('COMMIT')
    return result
  } finally {
    // Still open only when COMMIT was not reached or failed. SQLite may already have rolled back on
    // its own (disk full, I/O error), and a closed connection took its transaction with it.
    if (db.isOpen && db.isTransaction) db.exec('ROLLBACK')
  }
}

// eslint-disable-next-line require-yield -- work that never pauses is a single step
function* withoutPauses<T>(work: () => T): Steps<T> {
  return work()
}
