// The CSV import's worker thread (see import-in-worker.ts): opens the tenant's database on a
// connection of its own, imports the file in its one transaction, reports and exits.
import { parentPort, workerData } from 'node:worker_threads'
import {
  transferredError,
  type CancelImport,
  type ImportJob,
  type ImportWorkerMessage,
} from './import-in-worker'
import { TenantDatabase } from './tenant-database'

const port = parentPort
if (!port) throw new Error('import-worker.ts runs as a worker thread only.')
const job = workerData as ImportJob
const canceled = new AbortController()
const post = (message: ImportWorkerMessage) => port.postMessage(message)

port.on('message', (message: CancelImport) => {
  if (message.type === 'cancel') canceled.abort()
})
// The import's own reads keep the thread alive; once it reports, the thread ends.
port.unref()
// Its modules loaded: from here on, a failure is the import's, not the worker's start.
post({ type: 'ready' })

let db: TenantDatabase | undefined
try {
  db = TenantDatabase.open(job.dataDir, job.tenantId)
  const report = await db.importCsvFile(job.path, {
    seenAt: new Date(job.seenAt),
    signal: canceled.signal,
    onProgress: (progress) => post({ type: 'progress', progress }),
  })
  post({ type: 'done', report })
} catch (error) {
  post({ type: 'failed', error: transferredError(error) })
} finally {
  db?.close()
}
