import { useCallback, useRef, useState } from 'react'
import type { AppError } from '../../../../preload/contract'
import type {
  Credential,
  CsvExportProgress,
  CsvImportProgress,
  CsvImportReport,
  DeviceFilter,
  DeviceSort,
  Tenant,
} from '../../../../preload/model'
import { DEFAULT_DEVICE_SORT } from '../../../../preload/rules'
import { api, settle } from '../../api'
import { openingScreen } from '../../boot'
import { ErrorNotice } from '../../components/ErrorNotice'
import { plural } from '../../format'
import { useApiQuery } from '../../hooks/useApiQuery'
import { useDebounced } from '../../hooks/useDebounced'
import { useEvent } from '../../hooks/useEvent'
import { DeviceTable } from './DeviceTable'
import { DeviceTiles } from './DeviceTiles'
import { exportWork, FileProgress, importWork } from './FileProgress'
import { EmptyDevices } from './EmptyDevices'
import { ImportReport } from './ImportReport'
import { NoCredentialNotice } from './NoCredentialNotice'
import { useDevicePages } from './useDevicePages'
import { ScreenHeader } from '../../components/ScreenHeader'
import { SyncActions, SyncStatusBar } from './sync/SyncBar'
import { useTenantSync } from './sync/useTenantSync'
import { loadedWhenShown } from '../../components/loadedWhenShown'

const DeviceDetailDialog = loadedWhenShown(() =>
  import('./sync/DeviceDetailDialog').then((m) => m.DeviceDetailDialog),
)

/** While a sync writes, the counts and the table are read again at most this often. */
const LIVE_REFRESH_MS = 3000

interface DevicesScreenProps {
  tenant: Tenant | undefined
  credentials: Credential[]
  /** No tenant at all: the first credential makes one. */
  onAddCredential: () => void
  /** A tenant whose data was kept without a credential gets a new one. */
  onAddCredentialTo: (tenantId: string) => void
}

export function DevicesScreen({
  tenant,
  credentials,
  onAddCredential,
  onAddCredentialTo,
}: DevicesScreenProps) {
  if (!tenant) {
    return (
      <div className="screen">
        <ScreenHeader title="Devices" />
        <div className="empty-state">
          <h2>No tenant yet</h2>
          <p>Devices belong to a tenant, and a tenant starts with its first API credential.</p>
          <button type="button" className="btn btn-primary" onClick={onAddCredential}>
            Go to API Information
          </button>
        </div>
      </div>
    )
  }
  return (
    <TenantDevices
      key={tenant.id}
      tenant={tenant}
      credentials={credentials}
      onAddCredential={() => onAddCredentialTo(tenant.id)}
    />
  )
}

type FileOutcome =
  | { kind: 'imported'; report: CsvImportReport }
  | { kind: 'exported'; path: string; rows: number; devices: number }
  | { kind: 'error'; title: string; error: AppError }

function TenantDevices({
  tenant,
  credentials,
  onAddCredential,
}: {
  tenant: Tenant
  credentials: Credential[]
  onAddCredential: () => void
}) {
  const [filter, setFilter] = useState<DeviceFilter>('all')
  const [searchText, setSearchText] = useState('')
  const search = useDebounced(searchText.trim(), 250)
  // Kept through changes of tile and search: the admin chose it for the table, not for one view.
  const [sort, setSort] = useState<DeviceSort>(DEFAULT_DEVICE_SORT)
  const [version, setVersion] = useState(0)
  const [outcome, setOutcome] = useState<FileOutcome>()
  const [busy, setBusy] = useState(false)
  const [openSerial, setOpenSerial] = useState<string>()
  const [importing, setImporting] = useState<CsvImportProgress>()
  const [exporting, setExporting] = useState<CsvExportProgress>()
  const tenantId = tenant.id
  // The screen the app opens on is drawn whole from the boot's answer (boot.ts).
  const [opening] = useState(() => openingScreen(tenantId))
  const pages = useDevicePages({ tenantId, filter, search, sort, version })
  const sync = useTenantSync(tenantId, opening && { ok: true, value: opening.sync })
  const lastLiveRefresh = useRef({ at: 0, pages: 0, phase: '' })

  const loadCounts = useCallback(() => api().deviceCounts({ tenantId }), [tenantId])
  const counts = useApiQuery(loadCounts, opening && { ok: true, value: opening.counts })
  const refresh = () => {
    counts.reload()
    setVersion((v) => v + 1)
  }

  useEvent('csvImportProgress', (progress) => {
    if (progress.tenantId === tenantId) setImporting(progress)
  })

  useEvent('csvExportProgress', (progress) => {
    if (progress.tenantId === tenantId) setExporting(progress)
  })

  useEvent('dataChanged', (change) => {
    if (change.what === 'devices' && (!change.tenantId || change.tenantId === tenantId)) refresh()
  })

  // Devices arrive batch by batch during a sync: show each new page of devices and each new phase
  // at once, and coverage as it comes, without a read per batch.
  useEvent('syncProgress', (progress) => {
    if (progress.tenantId !== tenantId || progress.status !== 'running') return
    const last = lastLiveRefresh.current
    const moved = progress.pages !== last.pages || progress.phase !== last.phase
    if (!moved && Date.now() - last.at < LIVE_REFRESH_MS) return
    lastLiveRefresh.current = { at: Date.now(), pages: progress.pages, phase: progress.phase }
    refresh()
  })

  // A new import or export takes the place of the last one's result.
  async function importCsv() {
    setBusy(true)
    setOutcome(undefined)
    const result = await settle(api().importDevicesCsv({ tenantId }))
    setBusy(false)
    setImporting(undefined)
    if (!result.ok) {
      setOutcome({ kind: 'error', title: 'The CSV file was not imported.', error: result.error })
    } else if (result.value) {
      setOutcome({ kind: 'imported', report: result.value })
      refresh()
    }
  }

  async function exportCsv() {
    setBusy(true)
    setOutcome(undefined)
    const result = await settle(api().exportDevicesCsv({ tenantId, filter, search, sort }))
    setBusy(false)
    setExporting(undefined)
    if (!result.ok) {
      setOutcome({ kind: 'error', title: 'The devices were not exported.', error: result.error })
    } else if (result.value) setOutcome({ kind: 'exported', ...result.value })
  }

  const empty = counts.data?.devices === 0
  return (
    <div className="screen screen-fill">
      <ScreenHeader title="Devices" description={tenant.name}>
        <div className="header-actions">
          <SyncActions tenant={tenant} sync={sync} />
          <button type="button" className="btn" disabled={busy} onClick={() => void importCsv()}>
            Import CSV…
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy || empty}
            onClick={() => void exportCsv()}
          >
            Export CSV…
          </button>
        </div>
      </ScreenHeader>
      {tenant.activeCredentialId === null && (
        <NoCredentialNotice tenantName={tenant.name} onAddCredential={onAddCredential} />
      )}
      <SyncStatusBar tenant={tenant} sync={sync} credentials={credentials} />
      {busy && importing && (
        <FileProgress
          work={importWork(importing)}
          onCancel={() => void settle(api().cancelCsvImport({ tenantId }))}
        />
      )}
      {busy && exporting && (
        <FileProgress
          work={exportWork(exporting)}
          onCancel={() => void settle(api().cancelCsvExport({ tenantId }))}
        />
      )}
      {outcome?.kind === 'imported' && (
        <ImportReport report={outcome.report} onDismiss={() => setOutcome(undefined)} />
      )}
      {outcome?.kind === 'exported' && (
        <p className="notice notice-success" role="status">
          Exported {plural(outcome.devices, 'device')} ({plural(outcome.rows, 'row')}, one per
          coverage record) to {outcome.path}.
        </p>
      )}
      {outcome?.kind === 'error' && <ErrorNotice error={outcome.error} title={outcome.title} />}
      {counts.error && (
        <ErrorNotice error={counts.error} title="The device counts could not be read." />
      )}
      {empty ? (
        <EmptyDevices
          onImport={() => void importCsv()}
          onSync={
            tenant.activeCredentialId === null || sync.running
              ? undefined
              : () => void sync.start('full')
          }
        />
      ) : (
        <>
          <DeviceTiles counts={counts.data} filter={filter} onFilter={setFilter} />
          <div className="table-tools">
            <input
              type="search"
              className="search"
              aria-label="Search devices"
              placeholder="Search serial, model, family…"
              value={searchText}
              onChange={(event) => setSearchText(event.target.value)}
            />
            <span className="muted" aria-live="polite">
              {pages.total === undefined ? 'Loading…' : plural(pages.total, 'device')}
            </span>
          </div>
          {pages.error && (
            <ErrorNotice error={pages.error} title="The devices could not be read." />
          )}
          {pages.total === 0 ? (
            <p className="empty-inline muted" role="status">
              {search
                ? `No device matches "${search}"${filter === 'all' ? '' : ' under this tile'}.`
                : 'No device is under this tile.'}{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setSearchText('')
                  setFilter('all')
                }}
              >
                Show all devices
              </button>
            </p>
          ) : (
            <DeviceTable pages={pages} onOpen={setOpenSerial} sort={sort} onSort={setSort} />
          )}
        </>
      )}
      {openSerial && (
        <DeviceDetailDialog
          tenantId={tenantId}
          serial={openSerial}
          sync={sync}
          onClose={() => setOpenSerial(undefined)}
        />
      )}
    </div>
  )
}
