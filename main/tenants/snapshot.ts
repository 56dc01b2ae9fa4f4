// A fingerprint of a tenant's data: row counts and a SHA-256 over every device and coverage record
// in a fixed order. Rotation takes one before and one after and they must be equal. Only the
// content counts: row ids, derived columns and the sync log are left out, so the same data
// imported into a fresh database gives the same hash.
import { createHash, type Hash } from 'node:crypto'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { TenantDataSnapshot } from '../../preload/model'
import { NO_IDENTIFIERS } from './identifiers'
import { runSteps, type Steps } from './steps'
import { transactionSteps } from './transaction'

/** Rows hashed between two pauses when the snapshot runs in steps: tens of milliseconds of work. */
const ROWS_PER_STEP = 20_000

// Identifiers hash by their lists, not by how the JSON was written: a list not written and an
// empty one are the same, as are no identifiers at all and every list empty (the sync writes every
// list; an import, only those its file has).
const SAME_IDENTIFIERS = `CASE WHEN json_valid(identifiers)
  THEN nullif(json_patch('${NO_IDENTIFIERS}', identifiers), '${NO_IDENTIFIERS}')
  ELSE identifiers END`

const DEVICES = `SELECT serial, make, model, family, product_type, status, order_number,
  part_number, added_to_org, released_from_org, first_seen, last_seen, inactive, color, capacity,
  order_date, purchase_source_type, purchase_source_id, ${SAME_IDENTIFIERS}
  FROM devices ORDER BY serial`

const COVERAGE = `SELECT serial, coverage_key, kind, description, agreement_id, status,
  payment_type, start_date, end_date, is_canceled
  FROM coverage ORDER BY serial, coverage_key`

export function snapshotTenantData(db: DatabaseSync): TenantDataSnapshot {
  return runSteps(hashTenantData(db))
}

function* hashTenantData(db: DatabaseSync): Steps<TenantDataSnapshot> {
  const hash = createHash('sha256')
  const devices = yield* hashRows(hash, 'devices', db.prepare(DEVICES))
  const coverage = yield* hashRows(hash, 'coverage', db.prepare(COVERAGE))
  return { devices, coverage, contentHash: hash.digest('hex') }
}

interface ContentState {
  generation: number
  snapshot_generation: number | null
  devices: number | null
  coverage: number | null
  content_hash: string | null
}

/**
 * The snapshot of the current generation: from the cache when nothing was written since it was
 * taken, else computed and cached, all in one transaction so a concurrent import cannot slip in
 * between reading the data and recording which generation it was.
 */
export function currentSnapshot(db: DatabaseSync): TenantDataSnapshot {
  return runSteps(currentSnapshotSteps(db))
}

/** currentSnapshot as steps (see ./steps), pausing every ROWS_PER_STEP rows it has to hash. */
export function currentSnapshotSteps(db: DatabaseSync): Steps<TenantDataSnapshot> {
  return transactionSteps(db, cachedOrHashed(db))
}

function* cachedOrHashed(db: DatabaseSync): Steps<TenantDataSnapshot> {
  const state = db.prepare('SELECT * FROM content_state WHERE id = 1').get() as unknown as
    ContentState | undefined
  if (!state) return yield* hashTenantData(db)
  if (state.snapshot_generation === state.generation && state.content_hash !== null) {
    return {
      devices: state.devices ?? 0,
      coverage: state.coverage ?? 0,
      contentHash: state.content_hash,
    }
  }
  const snapshot = yield* hashTenantData(db)
  db.prepare(
    'UPDATE content_state SET snapshot_generation = ?, devices = ?, coverage = ?, content_hash = ? WHERE id = 1',
  ).run(state.generation, snapshot.devices, snapshot.coverage, snapshot.contentHash)
  return snapshot
}

/** Feeds each row as one JSON line (which keeps null apart from '' and 0 apart from '0'). */
function* hashRows(hash: Hash, table: string, statement: StatementSync): Steps<number> {
  statement.setReturnArrays(true)
  hash.update(`${table}\n`)
  let count = 0
  for (const row of statement.iterate()) {
    hash.update(`${JSON.stringify(row)}\n`)
    if (++count % ROWS_PER_STEP === 0) yield
  }
  return count
}
