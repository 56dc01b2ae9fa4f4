import { useCallback } from 'react'
import type { Credential } from '../../../../../preload/model'
import type { SyncRun } from '../../../../../preload/sync-model'
import { api } from '../../../api'
import { Dialog, DialogActions } from '../../../components/Dialog'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { formatCount, formatDateTime, plural } from '../../../format'
import { useApiQuery } from '../../../hooks/useApiQuery'
import { credentialNames, outcomeLabel } from './SyncStatus'
import { syncKindLabel } from './sync-labels'

/** Every sync of the tenant, newest first: kind, outcome, counts, duration and credential. */
export function SyncHistoryDialog({
  tenantId,
  credentials,
  onClose,
}: {
  tenantId: string
  credentials: Credential[]
  onClose: () => void
}) {
  const load = useCallback(() => api().syncHistory({ tenantId }), [tenantId])
  const history = useApiQuery(load)
  return (
    <Dialog title="Sync history" wide onClose={onClose}>
      {history.error && (
        <ErrorNotice error={history.error} title="The history could not be read." />
      )}
      {history.data && history.data.length === 0 && <p>This tenant has never been synced.</p>}
      {history.data && history.data.length > 0 && (
        <div className="table-frame sync-history" role="region" aria-label="Sync runs" tabIndex={0}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Kind</th>
                <th scope="col">Outcome</th>
                <th scope="col">Devices</th>
                <th scope="col">Coverage</th>
                <th scope="col">Duration</th>
                <th scope="col">Credential</th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((run) => (
                <tr key={run.id}>
                  <td className="cell-nowrap">{formatDateTime(run.startedAt)}</td>
                  <td>
                    {syncKindLabel[run.kind]}
                    {run.serial && <span className="cell-mono"> {run.serial}</span>}
                    {run.forced && <span className="muted"> (all coverage)</span>}
                  </td>
                  <td>
                    <span className={`sync-outcome sync-outcome-${run.status}`}>
                      {outcomeLabel[run.status]}
                    </span>
                    {run.message && run.status !== 'complete' && (
                      <span className="sync-outcome-why">{run.message}</span>
                    )}
                  </td>
                  <td className="cell-wrap">{deviceCounts(run)}</td>
                  <td className="cell-wrap">{coverageCounts(run)}</td>
                  <td className="cell-nowrap">{duration(run)}</td>
                  <td className="cell-wrap">{credentialNames(run, credentials)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <DialogActions>
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Close
        </button>
      </DialogActions>
    </Dialog>
  )
}

function deviceCounts(run: SyncRun): string {
  if (run.kind === 'partial') return '—'
  const parts = [`${formatCount(run.devicesSeen)} listed`]
  if (run.devicesNew) parts.push(`${formatCount(run.devicesNew)} new`)
  if (run.devicesUpdated) parts.push(`${formatCount(run.devicesUpdated)} changed`)
  if (run.devicesInactive) parts.push(`${formatCount(run.devicesInactive)} inactive`)
  return parts.join(', ')
}

function coverageCounts(run: SyncRun): string {
  const parts = [`${formatCount(run.coverageFetched)} with records`]
  if (run.coverageNone) parts.push(`${formatCount(run.coverageNone)} without`)
  if (run.coverageNotFound) parts.push(`${formatCount(run.coverageNotFound)} not found`)
  if (run.coverageFailed) parts.push(`${formatCount(run.coverageFailed)} No Data`)
  if (run.rateLimitWaits) parts.push(plural(run.rateLimitWaits, 'rate-limit wait'))
  return parts.join(', ')
}

function duration(run: SyncRun): string {
  if (!run.finishedAt) return 'Running'
  const seconds = Math.max(
    0,
    Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000),
  )
  if (seconds < 60) return `${seconds} s`
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}
