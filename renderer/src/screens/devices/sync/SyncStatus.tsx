import { useEffect, useState } from 'react'
import type { Credential } from '../../../../../preload/model'
import type { SyncOverview, SyncProgress, SyncRun } from '../../../../../preload/sync-model'
import { renderNow } from '../../../boot'
import { formatCount, formatSince, plural } from '../../../format'
import { syncKindLabel } from './sync-labels'

/** While a sync runs: what it is doing, how far it got, the rate-limit wait, and Cancel. */
export function SyncProgressView({
  progress,
  onCancel,
}: {
  progress: SyncProgress
  onCancel: () => void
}) {
  const waitSeconds = useCountdown(progress.waitingUntil)
  const coverage = progress.phase === 'coverage' || progress.phase === 'retry'
  return (
    <div className="notice notice-info sync-progress" role="status" aria-live="polite">
      <div className="sync-progress-text">
        <p className="notice-title">{syncKindLabel[progress.kind]} running…</p>
        <p>{describePhase(progress)}</p>
        {coverage && progress.coverageTotal > 0 && (
          <progress
            className="sync-meter"
            value={progress.coverageDone}
            max={progress.coverageTotal}
            aria-label="AppleCare coverage fetched"
          />
        )}
        {waitSeconds !== undefined && (
          <p className="sync-wait">
            Waiting for Apple's rate limit: going on in {plural(waitSeconds, 'second')}.
          </p>
        )}
        {progress.pausedForRotation && <p>Paused while the tenant changes credential.</p>}
      </div>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel Sync
      </button>
    </div>
  )
}

function describePhase(p: SyncProgress): string {
  switch (p.phase) {
    case 'devices':
      return `Listing devices: ${plural(p.pages, 'page')} read, ${plural(p.devicesListed, 'device')} so far.`
    case 'reconcile':
      return `Checking the devices Apple no longer lists (${plural(p.devicesListed, 'device')} listed).`
    case 'coverage':
      return `AppleCare coverage: ${formatCount(p.coverageDone)} of ${formatCount(p.coverageTotal)} devices.`
    case 'retry':
      return `Asking again for devices that got no answer: ${formatCount(p.coverageDone)} of ${formatCount(p.coverageTotal)}.`
    case 'done':
      return 'Finishing…'
  }
}

/** Whole seconds until `until`, ticking; undefined when there is nothing to wait for. */
function useCountdown(until: string | null): number | undefined {
  const [now, setNow] = useState(renderNow)
  useEffect(() => {
    if (!until) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [until])
  if (!until) return undefined
  const seconds = Math.ceil((Date.parse(until) - now) / 1000)
  return seconds > 0 ? seconds : undefined
}

/** When the tenant last synced, by which credential, and how many devices still have no data. */
export function SyncFreshness({
  overview,
  credentials,
  onHistory,
}: {
  overview: SyncOverview
  credentials: Credential[]
  onHistory: () => void
}) {
  // The moment the line was drawn; it is drawn again whenever a run ends.
  const [now] = useState(renderNow)
  const last = overview.lastRun
  return (
    <p className="sync-freshness muted">
      {last ? (
        <>
          Last synced {formatSince(last.finishedAt ?? last.startedAt, now)} by{' '}
          {credentialNames(last, credentials)} ({syncKindLabel[last.kind].toLowerCase()},{' '}
          {outcomeLabel[last.status].toLowerCase()}).{' '}
        </>
      ) : (
        'Never synced from Apple. '
      )}
      {overview.devicesWithoutData > 0 && (
        <>{plural(overview.devicesWithoutData, 'device has', 'devices have')} no coverage data. </>
      )}
      {last && (
        <button type="button" className="link-button" onClick={onHistory}>
          Sync history
        </button>
      )}
    </p>
  )
}

export const outcomeLabel: Record<SyncRun['status'], string> = {
  running: 'Running',
  complete: 'Complete',
  partial: 'Incomplete',
  canceled: 'Canceled',
  failed: 'Failed',
}

/** The credential names that ran a sync, old → new when it changed credential mid-run. */
export function credentialNames(run: SyncRun, credentials: Credential[]): string {
  if (run.credentialIds.length === 0) return 'no credential'
  return run.credentialIds
    .map((id) => credentials.find((c) => c.id === id)?.name ?? 'a removed credential')
    .join(' → ')
}
