// Importing a CSV into a tenant's database, as the app and the CLI both do it: one transaction in
// the tenant's database, then an audit entry saying what came in.
import type { CsvImportReport } from '../../preload/model'
import type { AuditLog } from '../audit/audit-log'
import type { TenantDatabases } from './tenant-databases'

export function importDevicesCsv(
  deps: { tenants: TenantDatabases; audit: Pick<AuditLog, 'append'> },
  tenantId: string,
  csvText: string,
): CsvImportReport {
  const report = deps.tenants.open(tenantId).importCsv(csvText)
  deps.audit.append({
    kind: 'tenant.imported',
    tenantId,
    summary: `Imported ${report.devices} devices and ${report.coverage} coverage records from CSV`,
    details: { rows: report.rows, rejectedRows: report.skipped },
  })
  return report
}
