import { useCallback, useRef, useState, type ReactNode } from 'react'
import type { DeviceDetail, SyncProgress } from '../../../../../preload/sync-model'
import { api } from '../../../api'
import { Dialog, DialogActions } from '../../../components/Dialog'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { formatDate, formatDateTime } from '../../../format'
import { useApiQuery } from '../../../hooks/useApiQuery'
import { useEvent } from '../../../hooks/useEvent'
import type { TenantSync } from './useTenantSync'

const OUTCOME_TEXT: Record<NonNullable<DeviceDetail['coverageOutcome']>, string> = {
  records: 'Apple reported the coverage below.',
  none: 'No coverage record: Apple has no AppleCare plan or warranty on file for this device.',
  notFound: 'Not found: Apple did not find coverage for this serial number.',
  unavailable:
    'No Data: Apple did not answer for this device last time. The coverage below is the last known.',
}

/** One device: identity, order and assignment, and its coverage history, with Refresh. */
export function DeviceDetailDialog({
  tenantId,
  serial,
  sync,
  onClose,
}: {
  tenantId: string
  serial: string
  sync: TenantSync
  onClose: () => void
}) {
  const load = useCallback(() => api().deviceDetail({ tenantId, serial }), [tenantId, serial])
  const detail = useApiQuery(load)
  const [refreshRun, setRefreshRun] = useState<number>()
  const [refreshEnd, setRefreshEnd] = useState<SyncProgress>()
  // A one-device run can end before the answer that started it arrives: its end is kept here.
  const endedRuns = useRef(new Map<number, SyncProgress>())

  function finished(progress: SyncProgress) {
    setRefreshRun(undefined)
    setRefreshEnd(progress)
    detail.reload()
  }

  useEvent('syncProgress', (progress) => {
    if (progress.status === 'running') return
    endedRuns.current.set(progress.runId, progress)
    if (progress.runId === refreshRun) finished(progress)
  })

  async function refresh() {
    setRefreshEnd(undefined)
    const runId = await sync.start('device', { serial })
    if (runId === undefined) return
    const ended = endedRuns.current.get(runId)
    if (ended) finished(ended)
    else setRefreshRun(runId)
  }

  const device = detail.data
  return (
    <Dialog title={`Device ${serial}`} wide onClose={onClose}>
      {detail.error && <ErrorNotice error={detail.error} title="The device could not be read." />}
      {sync.error && refreshRun === undefined && (
        <ErrorNotice error={sync.error} title="The device was not refreshed." />
      )}
      {refreshEnd && (
        <p
          className={`notice ${refreshEnd.status === 'complete' ? 'notice-success' : 'notice-warning'}`}
          role="status"
        >
          {refreshEnd.status === 'complete' ? 'Refreshed from Apple.' : refreshEnd.message}
        </p>
      )}
      {device && (
        <div className="device-detail">
          <section aria-labelledby="device-identity">
            <h3 id="device-identity">Identity</h3>
            <Facts
              rows={[
                ['Serial number', <span className="cell-mono">{device.serial}</span>],
                ['Model', device.model],
                ['Family', device.family],
                ['Product type', device.productType],
                ['Capacity', device.capacity],
                ['Color', device.color],
                ...device.identifiers.map(
                  ({ label, values }) =>
                    [label, <span className="cell-mono">{values.join(', ')}</span>] as const,
                ),
              ]}
            />
          </section>
          <section aria-labelledby="device-order">
            <h3 id="device-order">Order</h3>
            <Facts
              rows={[
                ['Order number', device.orderNumber],
                ['Ordered', formatDate(device.orderDate)],
                ['Part number', device.partNumber],
                ['Purchased from', purchaseSource(device.purchaseSourceType)],
                ['Purchase source ID', device.purchaseSourceId],
              ]}
            />
          </section>
          <section aria-labelledby="device-assignment">
            <h3 id="device-assignment">Assignment</h3>
            <Facts
              rows={[
                ['Status', assignment(device.status)],
                ['In the organisation since', formatDate(device.addedToOrg)],
                [
                  'Left the organisation',
                  device.inactive ? formatDate(device.releasedFromOrg) || 'Yes' : 'No',
                ],
                ['Changed at Apple', device.updatedAt ? formatDateTime(device.updatedAt) : null],
                ['Last seen in a sync', formatDateTime(device.lastSeen)],
              ]}
            />
          </section>
          <section aria-labelledby="device-coverage" className="device-detail-coverage">
            <h3 id="device-coverage">AppleCare coverage</h3>
            <p>
              {device.coverageOutcome
                ? OUTCOME_TEXT[device.coverageOutcome]
                : 'Never asked from Apple: the coverage below came from a CSV import.'}
              {device.coverageCheckedAt &&
                ` Last answer from Apple: ${formatDateTime(device.coverageCheckedAt)}.`}
            </p>
            {device.coverage.length > 0 && (
              <div className="table-frame" role="region" aria-label="Coverage history" tabIndex={0}>
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">Plan</th>
                      <th scope="col">Status</th>
                      <th scope="col">Start</th>
                      <th scope="col">End</th>
                      <th scope="col">Agreement</th>
                    </tr>
                  </thead>
                  <tbody>
                    {device.coverage.map((record, index) => (
                      <tr key={index}>
                        <td>{record.description ?? '—'}</td>
                        <td>{record.isCanceled ? 'Canceled' : (record.status ?? '—')}</td>
                        <td className="cell-nowrap">{formatDate(record.start)}</td>
                        <td className="cell-nowrap">
                          {record.end ? formatDate(record.end) : 'While subscribed'}
                        </td>
                        <td className="cell-mono">{record.agreementNumber ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
      )}
      <DialogActions>
        <button
          type="button"
          className="btn"
          disabled={refreshRun !== undefined || sync.running}
          onClick={() => void refresh()}
        >
          {refreshRun !== undefined ? 'Refreshing…' : 'Refresh from Apple'}
        </button>
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Close
        </button>
      </DialogActions>
    </Dialog>
  )
}

function Facts({ rows }: { rows: ReadonlyArray<readonly [string, ReactNode]> }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label} className="facts-row">
          <dt>{label}</dt>
          <dd>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  )
}

function purchaseSource(type: string | null): string | null {
  if (type === 'APPLE') return 'Apple'
  if (type === 'RESELLER') return 'A reseller'
  if (type === 'MANUALLY_ADDED') return 'Added by hand (Apple Configurator)'
  return type
}

function assignment(status: string | null): string | null {
  if (status === 'ASSIGNED') return 'Assigned to an MDM server'
  if (status === 'UNASSIGNED') return 'Not assigned to an MDM server'
  return status
}
