// Child process for the audit tests: appends <count> entries tagged with <writer> to the audit log
// in <dataDir>, as fast as it can.
//   node --import tsx append-entries.ts <dataDir> <writer> <count>
import { AuditLog } from '../../../../main/audit/audit-log'

const [dataDir, writer, count] = process.argv.slice(2)
if (!dataDir || !writer || !count) throw new Error('usage: <dataDir> <writer> <count>')
const log = new AuditLog(dataDir)
for (let i = 0; i < Number(count); i += 1) {
  log.append({
    kind: 'check.passed',
    tenantId: writer,
    summary: `Entry ${i} of ${writer}, padded so that writes are not tiny: ${'x'.repeat(60)}`,
    details: { index: i },
  })
}
