// Importing a CSV into a tenant's database, as the app and the CLI both do it: one transaction in
// the tenant's database, then an audit entry saying what came in. The file streams in (see
// TenantDatabase.importCsvFile), so neither its size nor the app's window are a concern here. The
// import's transaction also records that it owes its audit entry (import-audits.ts), so an import
// killed right after its commit gets its entry from recoverImportAudits at the next start.
import type { CsvImportReport } from '../../preload/model'
import type { AuditLog } from '../audit/audit-log'
import type { CsvFileImportOptions } from './csv-file-import'
import { abandoned, importAudited, recoveredImportEntry } from './import-audits'
import type { TenantDatabase } from './tenant-database'
import type { TenantDatabases } from './tenant-databases'

interface ImportDeps {
  tenants: TenantDatabases
  audit: Pick<AuditLog, 'append'>
}

export async function importDevicesCsvFile(
  deps: ImportDeps,
  tenantId: string,
  path: string,
  options: Partial<CsvFileImportOptions> = {},
): Promise<CsvImportReport> {
  const report = await deps.tenants.open(tenantId).importCsvFile(path, options)
  return recordImport(deps, tenantId, report)
}

function recordImport(
  deps: ImportDeps,
  tenantId: string,
  report: CsvImportReport,
): CsvImportReport {
  const db = deps.tenants.open(tenantId)
  // This process's newest owed entry is this import's: a connection imports one file at a time.
  const owed = db
    .owedImportAudits()
    .filter((entry) => entry.ownerPid === process.pid)
    .at(-1)
  deps.audit.append({
    kind: 'tenant.imported',
    tenantId,
    summary: `Imported ${report.devices} devices and ${report.coverage} coverage records from CSV`,
    details: {
      rows: report.rows,
      rejectedRows: report.skipped,
      ...(owed && { syncRunId: owed.syncRunId }),
    },
  })
  if (owed) db.settleImportAudit(owed.syncRunId)
  return report
}

export interface ImportAuditRecovery {
  tenantId: string
  syncRunId: number
  /** `written`: the entry was missing and is now written; `found`: it was written before. */
  action: 'written' | 'found'
}

/**
 * Writes the audit entry of each CSV import that committed but was stopped before its entry was
 * written, once. Call at start-up, and in the CLI before an import.
 */
export function recoverImportAudits(
  deps: { tenants: TenantDatabases; audit: Pick<AuditLog, 'append' | 'list'> },
  tenantIds: string[],
  now: Date = new Date(),
): ImportAuditRecovery[] {
  const results: ImportAuditRecovery[] = []
  for (const tenantId of tenantIds) {
    let db: TenantDatabase
    try {
      db = deps.tenants.open(tenantId)
    } catch {
      // A database that cannot be opened says so when the tenant's data is next shown.
      continue
    }
    for (const owed of db.owedImportAudits().filter((entry) => abandoned(entry, now))) {
      const found = importAudited(deps.audit, tenantId, owed.syncRunId)
      if (!found) deps.audit.append(recoveredImportEntry(tenantId, owed))
      db.settleImportAudit(owed.syncRunId)
      results.push({ tenantId, syncRunId: owed.syncRunId, action: found ? 'found' : 'written' })
    }
  }
  return results
}
