// A CSV import in a process of its own, for the crash matrix: run with `node --import tsx` and an
// IPC channel. It tells the parent `paused` right after the step named in the job and stops there,
// so the parent can SIGKILL it at that step boundary. Argument: the CsvImportCrashJob as JSON.
import { AuditLog } from '../../main/audit/audit-log'
import { importDevicesCsvFile } from '../../main/tenants/import-devices'
import { TenantDatabases } from '../../main/tenants/tenant-databases'
import { stopForKill } from './crash-point'

/** The step boundaries of an import, in their order. */
export type CsvImportStep =
  /** Some rows are written, inside the import's open transaction. */
  | 'rows written'
  /** The transaction is committed; the audit entry is not written yet. */
  | 'committed'
  /** The audit entry is written; the debt it settles is not yet marked paid. */
  | 'audited'
  /** The import is over. */
  | 'settled'

export interface CsvImportCrashJob {
  dataDir: string
  tenantId: string
  csvPath: string
  killAfter: CsvImportStep
}

const job = JSON.parse(process.argv[2] ?? '{}') as CsvImportCrashJob

function after(step: CsvImportStep): void {
  if (step === job.killAfter) stopForKill()
}

const audit = new AuditLog(job.dataDir)
const tenants = new TenantDatabases(job.dataDir)
// The streamed import turns the event loop between pieces of the file, inside its transaction.
setImmediate(() => after('rows written'))
await importDevicesCsvFile(
  {
    tenants,
    audit: {
      append: (entry) => {
        after('committed')
        const written = audit.append(entry)
        after('audited')
        return written
      },
    },
  },
  job.tenantId,
  job.csvPath,
)
after('settled')
throw new Error('the crash child was not stopped at its crash point')
