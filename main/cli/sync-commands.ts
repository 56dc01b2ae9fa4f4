// sync TENANT [--partial | --device SERIAL | --force] [--json], and sync history TENANT [--json]:
// the live sync from Apple's API as the app runs it. Progress goes to stderr (a bar on a terminal,
// plain lines otherwise), the run's summary to stdout; Ctrl+C cancels after the batch in hand.
import type { SyncProgress, SyncRun } from '../../preload/sync-model'
import type { AppServices } from '../services'
import type { SyncRequest } from '../sync/sync-service'
import { parseCommand } from './args'
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from './io'
import { progressBar } from './progress-bar'
import { findTenant } from './tenant-lookup'

export const SYNC_USAGE =
  'usage: axm-credentials sync TENANT [--partial | --device SERIAL | --force] [--json]\n' +
  '       axm-credentials sync history TENANT [--json]'

export async function runSyncCommand(
  args: string[],
  io: CliIO,
  open: () => AppServices,
): Promise<number> {
  if (args[0] === 'history') return syncHistory(args.slice(1), io, open)
  const { values, positionals } = parseCommand(
    args,
    {
      partial: { type: 'boolean' },
      device: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    1,
  )
  const chosen = [values.partial, values.device !== undefined, values.force].filter(Boolean)
  if (chosen.length > 1)
    throw new UsageError(`--partial, --device and --force go alone\n${SYNC_USAGE}`)
  const request: SyncRequest = values.partial
    ? { kind: 'partial' }
    : values.device !== undefined
      ? { kind: 'device', serial: values.device }
      : { kind: 'full', force: values.force ?? false }

  const services = open()
  const tenant = findTenant(services.vault.tenants(), positionals[0] as string)
  const show = progressWriter(io)
  const unsubscribe = services.sync.onProgress((progress) => {
    if (progress.tenantId === tenant.id) show(progress)
  })
  const stopOnInterrupt = io.onInterrupt?.(() => {
    io.stderr('Canceling after the batch in hand…')
    services.sync.cancel(tenant.id)
  })
  try {
    const { run: started, done } = await services.sync.start(tenant.id, request)
    if (started.coverageFetched + started.pages > 0) {
      io.stderr(`Resuming the ${started.kind} sync started ${started.startedAt}.`)
    }
    const run = await done
    show.end()
    io.stdout(
      values.json
        ? JSON.stringify({ tenantId: tenant.id, ...run }, null, 2)
        : summary(tenant.name, run),
    )
    if (run.status === 'complete') return EXIT_OK
    if (!values.json) io.stderr(`axm-credentials: ${run.message ?? 'The sync did not complete.'}`)
    return EXIT_FAILED
  } finally {
    unsubscribe()
    stopOnInterrupt?.()
  }
}

async function syncHistory(args: string[], io: CliIO, open: () => AppServices): Promise<number> {
  const { values, positionals } = parseCommand(args, { json: { type: 'boolean' } }, 1)
  const services = open()
  const tenant = findTenant(services.vault.tenants(), positionals[0] as string)
  const runs = services.sync.history(tenant.id)
  if (values.json) io.stdout(JSON.stringify(runs, null, 2))
  else if (runs.length === 0) io.stdout(`${tenant.name} has never been synced.`)
  else for (const run of runs) io.stdout(historyLine(run))
  return EXIT_OK
}

function summary(name: string, run: SyncRun): string {
  const verdict =
    run.status === 'complete'
      ? 'complete'
      : run.status === 'canceled'
        ? 'canceled (sync again to continue where it stopped)'
        : `${run.status} (sync again to continue where it stopped)`
  return `${name}: ${run.kind} sync ${verdict}. ${run.message ?? ''}`.trim()
}

function historyLine(run: SyncRun): string {
  const seconds = run.finishedAt
    ? Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000)
    : undefined
  return [
    `#${run.id}`,
    run.startedAt,
    run.kind + (run.forced ? ' (forced)' : '') + (run.serial ? ` ${run.serial}` : ''),
    run.status,
    `${run.devicesSeen} devices, ${run.coverageFetched + run.coverageNone + run.coverageNotFound} coverage, ${run.coverageFailed} No Data`,
    seconds === undefined ? 'running' : `${seconds} s`,
    `credential ${run.credentialIds.join(' → ') || '–'}`,
  ].join('  ')
}

interface ProgressWriter {
  (progress: SyncProgress): void
  end(): void
}

/** A bar redrawn in place on a terminal; elsewhere a line per page or coverage batch. */
function progressWriter(io: CliIO): ProgressWriter {
  let last = ''
  const write = (progress: SyncProgress) => {
    const line = describeProgress(progress)
    if (line === last) return
    last = line
    if (io.status) io.status(line)
    else io.stderr(line)
  }
  return Object.assign(write, { end: () => io.status?.('') })
}

export function describeProgress(p: SyncProgress): string {
  if (p.pausedForRotation) return 'Paused while the tenant changes credential…'
  if (p.waitingUntil) {
    const seconds = Math.max(0, Math.ceil((Date.parse(p.waitingUntil) - Date.now()) / 1000))
    return `Waiting ${seconds} s for Apple's rate limit…`
  }
  switch (p.phase) {
    case 'devices':
      return `Listing devices: page ${p.pages}, ${p.devicesListed} devices`
    case 'reconcile':
      return `Checking devices no longer listed (${p.devicesListed} listed)`
    case 'coverage':
    case 'retry':
      return `${p.phase === 'retry' ? 'Retrying coverage' : 'Coverage'} ${progressBar(p.coverageTotal === 0 ? 1 : p.coverageDone / p.coverageTotal)} ${p.coverageDone} of ${p.coverageTotal}`
    case 'done':
      return `Done: ${p.devicesListed} devices listed, coverage for ${p.coverageDone}`
  }
}
