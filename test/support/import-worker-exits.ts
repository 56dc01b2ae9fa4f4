// An import worker that stops dead once the first piece of its file is written, its transaction
// still open, as a worker killed from outside would: process.exit in a worker ends that thread.
import { workerData } from 'node:worker_threads'
import type { ImportJob } from '../../main/tenants/import-in-worker'
import { TenantDatabase } from '../../main/tenants/tenant-database'

const job = workerData as ImportJob
const db = TenantDatabase.open(job.dataDir, job.tenantId)
await db.importCsvFile(job.path, {
  seenAt: new Date(job.seenAt),
  onProgress: () => process.exit(3),
})
