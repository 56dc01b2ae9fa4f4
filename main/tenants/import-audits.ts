// The audit entry of a CSV import, owed until written. The import's transaction writes a row into
// `pending_import_audits` along with its data (a TEMP trigger on the importing connection, fired by
// the import's own sync_runs row), so a process killed right after the commit leaves the row; the
// entry names the import's sync run, and the row goes once the entry is written. Recovery writes
// the entry of every row whose process is gone, unless the log already holds it: exactly once.
import type { DatabaseSync } from 'node:sqlite'
import type { AuditLog, NewAuditEntry } from '../audit/audit-log'
import { ownerMayBeRunning } from '../process-owner'

export interface PendingImportAudit {
  syncRunId: number
  ownerPid: number
  recordedAt: string
  /** What the import's sync run says it brought in. */
  message: string
  rows: number
}

/** Makes every CSV import on `db` owe its audit entry, in its own transaction. */
export function owePendingImportAudits(db: DatabaseSync): void {
  db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS csv_import_owes_audit
AFTER INSERT ON main.sync_runs WHEN NEW.source = 'csv'
BEGIN
  INSERT INTO main.pending_import_audits (sync_run_id, owner_pid, recorded_at)
  VALUES (NEW.id, ${Math.trunc(process.pid)}, coalesce(NEW.finished_at, NEW.started_at));
END`)
}

export function pendingImportAudits(db: DatabaseSync): PendingImportAudit[] {
  return db
    .prepare(
      `SELECT p.sync_run_id, p.owner_pid, p.recorded_at, r.message, r.rows
       FROM pending_import_audits p JOIN sync_runs r ON r.id = p.sync_run_id
       ORDER BY p.sync_run_id`,
    )
    .all()
    .map((row) => ({
      syncRunId: Number(row.sync_run_id),
      ownerPid: Number(row.owner_pid),
      recordedAt: String(row.recorded_at),
      message: String(row.message ?? ''),
      rows: Number(row.rows),
    }))
}

export function settleImportAudit(db: DatabaseSync, syncRunId: number): void {
  db.prepare('DELETE FROM pending_import_audits WHERE sync_run_id = ?').run(syncRunId)
}

/** The entry a recovered import gets: its sync run's own account of what came in. */
export function recoveredImportEntry(tenantId: string, owed: PendingImportAudit): NewAuditEntry {
  return {
    kind: 'tenant.imported',
    tenantId,
    summary: `Imported from CSV: ${owed.message} (recorded at the next start, after the import was interrupted)`,
    details: { syncRunId: owed.syncRunId, rows: owed.rows, recovered: true },
  }
}

/** Whether the log already holds the entry of this import (written before a crash). */
export function importAudited(
  audit: Pick<AuditLog, 'list'>,
  tenantId: string,
  syncRunId: number,
): boolean {
  return audit
    .list({ tenantId, kind: 'tenant.imported' })
    .some((entry) => entry.details?.syncRunId === syncRunId)
}

/** Whether the import that owes this entry ended without writing it (its process is gone). */
export function abandoned(owed: PendingImportAudit, now: Date): boolean {
  return !ownerMayBeRunning({ ownerPid: owed.ownerPid, updatedAt: owed.recordedAt }, now)
}
