// A CSV file import run in a worker thread, on a database connection of its own. Two reasons:
// - Memory: V8 grows the young generation of a long, allocation-heavy run to its maximum (about
//   100 MiB of heap for an import that keeps 10 MiB alive), and a worker's resourceLimits are the
//   only way to cap it, since neither Electron nor the CLI's `node` take V8 flags from us, and
//   setting them at run time comes after the heap is made.
// - The window: parsing a piece of the file no longer holds up the app's main thread.
// The worker's transaction is the import's, all-or-nothing as before: it commits before the
// worker reports, and rolls back when the worker fails, is canceled or stops.
import { Worker } from 'node:worker_threads'
import type { CsvImportReport } from '../../preload/model'
import type { ImportProgress } from './csv-file-import'
import { CsvImportCanceledError, CsvImportError, TenantDatabaseError } from './errors'
import type { WorkerScript } from '../worker-script'

/** What the worker is given to do (workerData). */
export interface ImportJob {
  dataDir: string
  tenantId: string
  path: string
  /** ISO 8601: a Date does not survive the trip as a Date. */
  seenAt: string
}

/** The worker's messages to the thread that started it. */
export type ImportWorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; report: CsvImportReport }
  | { type: 'failed'; error: TransferredError }

/** The one message the worker takes: stop, rolling back. */
export interface CancelImport {
  type: 'cancel'
}

/** An error's parts that cross the thread boundary; its class is rebuilt from its name. */
export interface TransferredError {
  name: string
  message: string
  /** SQLite's result code, when SQLite raised it. */
  errcode?: number
}

export interface WorkerImportOptions {
  signal?: AbortSignal
  onProgress?: (progress: ImportProgress) => void
}

// The young generation's cap is what bounds the heap; the import's own data (a piece of the file
// and a batch of rows) is a few MiB. The old generation's cap is a ceiling, far above that data,
// past which the worker fails with a clear error rather than take the app's memory.
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 6, maxOldGenerationSizeMb: 256 }

export function importCsvFileInWorker(
  script: WorkerScript,
  job: ImportJob,
  { signal, onProgress }: WorkerImportOptions = {},
): Promise<CsvImportReport> {
  if (signal?.aborted) return Promise.reject(new CsvImportCanceledError())
  return new Promise((resolve, reject) => {
    const worker = new Worker(script.url, {
      workerData: job,
      execArgv: script.execArgv,
      resourceLimits: RESOURCE_LIMITS,
    })
    const cancel = () => worker.postMessage({ type: 'cancel' } satisfies CancelImport)
    signal?.addEventListener('abort', cancel, { once: true })
    // Settled at exit only, so the worker's connection is closed when the caller goes on.
    let outcome: { report: CsvImportReport } | { error: Error } | undefined
    let ready = false
    worker.on('message', (message: ImportWorkerMessage) => {
      if (message.type === 'ready') ready = true
      else if (message.type === 'progress') onProgress?.(message.progress)
      else if (message.type === 'done') outcome = { report: message.report }
      else outcome = { error: rebuiltError(message.error) }
    })
    worker.on('error', (error) => (outcome ??= { error: workerError(error, ready) }))
    worker.on('exit', (exitCode) => {
      signal?.removeEventListener('abort', cancel)
      const settled = outcome ?? { error: stoppedError(new Error(`exit code ${exitCode}`)) }
      if ('report' in settled) resolve(settled.report)
      else reject(settled.error)
    })
  })
}

/** The worker's side of TransferredError. */
export function transferredError(error: unknown): TransferredError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const errcode = (error as { errcode?: unknown }).errcode
  return {
    name: error.name,
    message: error.message,
    ...(typeof errcode === 'number' && { errcode }),
  }
}

// The errors an import reports to the admin keep their class (and so their code and message).
const REBUILT: Record<string, (message: string) => Error> = {
  CsvImportError: (message) => new CsvImportError(message),
  CsvImportCanceledError: () => new CsvImportCanceledError(),
  TenantDatabaseError: (message) => new TenantDatabaseError(message),
}

function rebuiltError({ name, message, errcode }: TransferredError): Error {
  const rebuild = REBUILT[name]
  if (rebuild) return rebuild(message)
  return Object.assign(new Error(message), { name, ...(errcode !== undefined && { errcode }) })
}

/**
 * The worker could not load its script, so it never began: the caller may import in its own
 * thread instead. (The packaged app's worker loads from app.asar, which cannot be tried here.)
 */
export class ImportWorkerUnavailableError extends Error {
  override name = 'ImportWorkerUnavailableError'
}

function workerError(cause: Error, ready: boolean): Error {
  const code = (cause as { code?: unknown }).code
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new TenantDatabaseError(
      'The import needed more memory than an import may use and was stopped. Nothing was imported.',
      { cause },
    )
  }
  if (!ready) {
    return new ImportWorkerUnavailableError(
      `The import's worker thread could not start (${String(code ?? cause.name)}).`,
      { cause },
    )
  }
  return stoppedError(cause)
}

function stoppedError(cause: Error): Error {
  return new TenantDatabaseError('The import stopped unexpectedly. Nothing was imported.', {
    cause,
  })
}
