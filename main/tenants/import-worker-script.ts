// Where the CSV import's worker thread starts from. The build puts the worker's script beside the
// entry points (electron.vite.config.ts: out/main/csv-import-worker.js); run from the TypeScript
// sources (tests, `npx axm-credentials` without a build), the worker runs its source through tsx.

export interface WorkerScript {
  url: URL
  /** Node options the worker is started with. */
  execArgv?: string[]
}

const FROM_SOURCE = import.meta.url.endsWith('.ts')

/** The import worker of the entry point at `entryUrl` (its own `import.meta.url`). */
export function importWorkerBeside(entryUrl: string): WorkerScript {
  return FROM_SOURCE
    ? { url: new URL('./import-worker.ts', import.meta.url), execArgv: ['--import', 'tsx'] }
    : { url: new URL('./csv-import-worker.js', entryUrl) }
}
