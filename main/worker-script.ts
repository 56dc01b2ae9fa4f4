// Where the app's worker threads start from. The build puts each worker's script beside the entry
// points (electron.vite.config.ts: out/main/csv-import-worker.js, out/main/key-worker.js); run from
// the TypeScript sources (tests, `npx axm-credentials` without a build), a worker runs its source
// through tsx.

export interface WorkerScript {
  url: URL
  /** Node options the worker is started with. */
  execArgv?: string[]
}

const FROM_SOURCE = import.meta.url.endsWith('.ts')

/** Each worker: its built script's name, and its source beside this file. */
const WORKERS = {
  csvImport: { built: './csv-import-worker.js', source: './tenants/import-worker.ts' },
  key: { built: './key-worker.js', source: './vault/key-worker.ts' },
} as const

function workerBeside(entryUrl: string, worker: keyof typeof WORKERS): WorkerScript {
  const { built, source } = WORKERS[worker]
  return FROM_SOURCE
    ? { url: new URL(source, import.meta.url), execArgv: ['--import', 'tsx'] }
    : { url: new URL(built, entryUrl) }
}

/** The CSV import's worker for the entry point at `entryUrl` (its own `import.meta.url`). */
export const importWorkerBeside = (entryUrl: string): WorkerScript =>
  workerBeside(entryUrl, 'csvImport')

/** The key decryption's worker for the entry point at `entryUrl`. */
export const keyWorkerBeside = (entryUrl: string): WorkerScript => workerBeside(entryUrl, 'key')
