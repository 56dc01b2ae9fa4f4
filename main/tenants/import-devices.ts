// Importing a CSV into a tenant's database, as the app and the CLI both do it: one transaction in
// the tenant's database, then an audit entry saying what came in. The CLI imports straight through;
// the app imports cooperatively so its window stays responsive (see TenantDatabase).
import type { CsvImportReport } from '../../preload/model'
import type { AuditLog } from '../audit/audit-log'
import type { TenantDatabases } from './tenant-databases'

interface ImportDeps {
  tenants: TenantDatabases
  audit: Pick<AuditLog, 'append'>
}

export function importDevicesCsv(
  deps: ImportDeps,
  tenantId: string,
  csvText: string,
): CsvImportReport {
  const report = deps.tenants.open(tenantId).importCsv(csvText)
  return recordImport(deps, tenantId, report)
}

export async function importDevicesCsvCooperatively(
  deps: ImportDeps,
  tenantId: string,
  csvText: string,
): Promise<CsvImportReport> {
  const report = await deps.tenants.open(tenantId).importCsvCooperatively(csvText)
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
