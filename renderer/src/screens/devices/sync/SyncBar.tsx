import { useState } from 'react'
import type { Credential, Tenant } from '../../../../../preload/model'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { SyncFreshness, SyncProgressView } from './SyncStatus'
import type { TenantSync } from './useTenantSync'
import './Sync.css'
import { loadedWhenShown } from '../../../components/loadedWhenShown'

const SyncHistoryDialog = loadedWhenShown(() =>
  import('./SyncHistoryDialog').then((m) => m.SyncHistoryDialog),
)

/** Sync Now and Sync Devices Without Data, for the screen header. */
export function SyncActions({ tenant, sync }: { tenant: Tenant; sync: TenantSync }) {
  const noCredential = tenant.activeCredentialId === null
  const withoutData = sync.overview.data?.devicesWithoutData ?? 0
  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={sync.running || noCredential || withoutData === 0}
        onClick={() => void sync.start('partial')}
      >
        Sync Devices Without Data
      </button>
      <button
        type="button"
        className="btn btn-primary"
        disabled={sync.running || noCredential}
        onClick={() => void sync.start('full')}
      >
        Sync Now
      </button>
    </>
  )
}

/** Under the header: the freshness line, the running sync, or how the last one ended. */
export function SyncStatusBar({
  tenant,
  sync,
  credentials,
}: {
  tenant: Tenant
  sync: TenantSync
  /** The app's credentials (they name who ran each sync), not asked for again here. */
  credentials: Credential[]
}) {
  const [historyOpen, setHistoryOpen] = useState(false)
  const { progress, overview } = sync
  const ended = progress && progress.status !== 'running' ? progress : undefined
  return (
    <div className="sync-status">
      {sync.error && <ErrorNotice error={sync.error} title="The sync did not start." />}
      {progress?.status === 'running' && (
        <SyncProgressView progress={progress} onCancel={() => void sync.cancel()} />
      )}
      {ended && (
        <p
          className={`notice ${ended.status === 'complete' ? 'notice-success' : 'notice-warning'}`}
          role="status"
        >
          <span className="notice-title">
            {ended.status === 'complete' ? 'Sync complete. ' : 'The sync did not finish. '}
          </span>
          {ended.message}
        </p>
      )}
      {overview.data && (
        <SyncFreshness
          overview={overview.data}
          credentials={credentials}
          onHistory={() => setHistoryOpen(true)}
        />
      )}
      {historyOpen && (
        <SyncHistoryDialog
          tenantId={tenant.id}
          credentials={credentials}
          onClose={() => setHistoryOpen(false)}
        />
      )}
    </div>
  )
}
