// One CSV import in a process of its own, so its peak memory is the import's: prints the time of
// the import (file reading, decoding, parsing and writing, all streamed) and the process's peak
// resident memory, with its resident memory before the import (Node, tsx and the app's modules).
import { TenantDatabase } from '../main/tenants/tenant-database'

const [dataDir, tenantId, csvPath] = process.argv.slice(2) as [string, string, string]
const db = TenantDatabase.open(dataDir, tenantId)
const idleRssMiB = process.memoryUsage().rss / 2 ** 20
const start = performance.now()
const report = await db.importCsvFile(csvPath, { seenAt: new Date('2025-06-01T12:00:00Z') })
const importMs = performance.now() - start
db.close()
const peakRssMiB = process.resourceUsage().maxRSS / 1024
process.stdout.write(JSON.stringify({ importMs, peakRssMiB, idleRssMiB, rows: report.rows }))
