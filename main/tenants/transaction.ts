import type { DatabaseSync } from 'node:sqlite'

/**
 * Runs `work` in one write transaction: all of it lands, or (on any throw) none of it does. The
 * write lock is taken up front (IMMEDIATE) so a second writer waits instead of failing half-way.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE')
  try {
    const result = work()
    db.exec('COMMIT')
    return result
  } catch (error) {
    // SQLite may already have rolled back on its own (disk full, I/O error).
    if (db.isTransaction) db.exec('ROLLBACK')
    throw error
  }
}
