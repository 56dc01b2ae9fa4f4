// Importing a CSV into a tenant's database, as the app and the CLI both do it: one transaction in
// the tenant's database, then an audit entry saying what came in. The file streams in (see
// TenantDatabase.importCsvFile), so neither its size nor the app's window are a concern here.
import type { CsvImportReport } from '../../preload/model'
import type { AuditLog } from '../audit/audit-log'
import type { CsvFileImportOptions } from './csv-file-import'
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
  deps.audit.append({
    kind: 'tenant.imported',
    tenantId,
    summary: `Imported ${report.devices} devices and ${report.coverage} coverage records from CSV`,
    details: { rows: report.rows, rejectedRows: report.skipped },
  })
  return report
}
