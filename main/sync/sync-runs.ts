// The durable record of sync runs in the tenant database: one sync_runs row per run, written as the
// run goes (its progress is part of every batch's transaction), so a run that was killed, canceled
// or lost its network is found again with its cursor, phase and counts.
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite'
import type {
  SyncCounts,
  SyncKind,
  SyncPhase,
  SyncRun,
  SyncStatus,
  SyncStopReason,
} from '../../preload/sync-model'

/** The columns of a run's resumable state, beside its counts. */
export interface RunState {
  phase: SyncPhase
  cursor: string | null
  /** The enumeration had to start over (stale cursor): it cannot prove a device left. */
  restarted: boolean
  /** A page failed for good: the list is incomplete, so no device may be marked inactive. */
  enumerationFailed: boolean
  retryPosition: string | null
}

export interface StoredRun extends SyncRun, RunState {
  ownerPid: number | null
  updatedAt: string | null
}

const COUNT_COLUMNS: Record<keyof SyncCounts, string> = {
  pages: 'pages',
  devicesSeen: 'devices_seen',
  devicesNew: 'devices_new',
  devicesUpdated: 'devices_updated',
  devicesInactive: 'devices_inactive',
  coverageFetched: 'coverage_fetched',
  coverageNone: 'coverage_none',
  coverageNotFound: 'coverage_not_found',
  coverageFailed: 'coverage_failed',
  retries: 'retries',
  rateLimitWaits: 'rate_limit_waits',
  rateLimitWaitMs: 'rate_limit_wait_ms',
}
export const COUNT_NAMES = Object.keys(COUNT_COLUMNS) as (keyof SyncCounts)[]

const SELECT_RUN = `SELECT * FROM sync_runs WHERE source = 'api'`

export function createRun(
  db: DatabaseSync,
  run: { kind: SyncKind; forced: boolean; serial: string | null; at: string; phase: SyncPhase },
): number {
  const result = db
    .prepare(
      `INSERT INTO sync_runs (source, started_at, updated_at, kind, forced, serial, status, phase, owner_pid)
       VALUES ('api', ?, ?, ?, ?, ?, 'running', ?, ?)`,
    )
    .run(run.at, run.at, run.kind, run.forced ? 1 : 0, run.serial, run.phase, process.pid)
  return Number(result.lastInsertRowid)
}

export function readRun(db: DatabaseSync, id: number): StoredRun | undefined {
  const row = db.prepare(`${SELECT_RUN} AND id = ?`).get(id)
  return row ? toRun(row) : undefined
}

/** The newest runs first, at most `limit`. */
export function runHistory(db: DatabaseSync, limit: number): StoredRun[] {
  return db.prepare(`${SELECT_RUN} ORDER BY id DESC LIMIT ?`).all(limit).map(toRun)
}

/** Runs the database says are running: this process's, another's, or a killed one's. */
export function runningRuns(db: DatabaseSync): StoredRun[] {
  return db.prepare(`${SELECT_RUN} AND status = 'running' ORDER BY id`).all().map(toRun)
}

/** The newest run of this kind (device, forced or not) that stopped before its end and may go on. */
export function latestUnfinished(
  db: DatabaseSync,
  kind: SyncKind,
  serial: string | null,
  forced: boolean,
): StoredRun | undefined {
  const row = db
    .prepare(`${SELECT_RUN} AND kind = ? AND serial IS ? AND forced = ? ORDER BY id DESC LIMIT 1`)
    .get(kind, serial, forced ? 1 : 0)
  const run = row ? toRun(row) : undefined
  return run && run.phase !== 'done' && run.status !== 'complete' ? run : undefined
}

/** Saves the run's state and counts; the caller's transaction makes it land with the batch. */
export function saveRun(
  db: DatabaseSync,
  run: { id: number; state: RunState; counts: SyncCounts; credentialIds: string[] },
  at: string,
): void {
  const { state, counts } = run
  db.prepare(
    `UPDATE sync_runs SET updated_at = ?, owner_pid = ?, phase = ?, cursor = ?, restarted = ?,
       enumeration_failed = ?, retry_position = ?, credential_ids = ?,
       ${COUNT_NAMES.map((name) => `${COUNT_COLUMNS[name]} = ?`).join(', ')}
     WHERE id = ?`,
  ).run(
    at,
    process.pid,
    state.phase,
    state.cursor,
    state.restarted ? 1 : 0,
    state.enumerationFailed ? 1 : 0,
    state.retryPosition,
    JSON.stringify(run.credentialIds),
    ...COUNT_NAMES.map((name) => counts[name]),
    run.id,
  )
}

/** Takes over a stopped run: it is running again, owned by this process. */
export function resumeRun(db: DatabaseSync, id: number, at: string): void {
  db.prepare(
    `UPDATE sync_runs SET status = 'running', finished_at = NULL, stop_reason = NULL, message = NULL,
       owner_pid = ?, updated_at = ? WHERE id = ?`,
  ).run(process.pid, at, id)
}

export function finishRun(
  db: DatabaseSync,
  id: number,
  end: {
    status: Exclude<SyncStatus, 'running'>
    stopReason: SyncStopReason | null
    message: string
  },
  at: string,
): void {
  db.prepare(
    `UPDATE sync_runs SET status = ?, stop_reason = ?, message = ?, finished_at = ?, updated_at = ?
     WHERE id = ?`,
  ).run(end.status, end.stopReason, end.message, at, at, id)
}

function toRun(row: Record<string, SQLOutputValue>): StoredRun {
  const counts = Object.fromEntries(
    COUNT_NAMES.map((name) => [name, Number(row[COUNT_COLUMNS[name]] ?? 0)]),
  ) as unknown as SyncCounts
  return {
    ...counts,
    id: Number(row.id),
    kind: row.kind as SyncKind,
    forced: row.forced === 1,
    serial: (row.serial as string | null) ?? null,
    status: row.status as SyncStatus,
    phase: row.phase as SyncPhase,
    credentialIds: parseIds(row.credential_ids ?? null),
    startedAt: row.started_at as string,
    finishedAt: (row.finished_at as string | null) ?? null,
    message: (row.message as string | null) ?? null,
    stopReason: (row.stop_reason as SyncStopReason | null) ?? null,
    cursor: (row.cursor as string | null) ?? null,
    restarted: row.restarted === 1,
    enumerationFailed: row.enumeration_failed === 1,
    retryPosition: (row.retry_position as string | null) ?? null,
    ownerPid: row.owner_pid === null ? null : Number(row.owner_pid),
    updatedAt: (row.updated_at as string | null) ?? null,
  }
}

function parseIds(value: SQLOutputValue): string[] {
  try {
    const ids: unknown = JSON.parse(String(value ?? '[]'))
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []
  } catch {
    return []
  }
}
