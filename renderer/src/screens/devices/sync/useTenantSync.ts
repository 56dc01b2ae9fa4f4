import { useCallback, useState } from 'react'
import type { AppError, Result } from '../../../../../preload/contract'
import type { SyncKind, SyncProgress } from '../../../../../preload/sync-model'
import { api, settle } from '../../../api'
import { useApiQuery, type ApiQuery } from '../../../hooks/useApiQuery'
import { useEvent } from '../../../hooks/useEvent'
import type { SyncOverview } from '../../../../../preload/sync-model'

export interface TenantSync {
  overview: ApiQuery<SyncOverview>
  /** The live progress of the tenant's run, or of the run that just ended. */
  progress: SyncProgress | undefined
  running: boolean
  /** Why the last request to start or cancel did not go through. */
  error: AppError | undefined
  start(kind: SyncKind, options?: { serial?: string; force?: boolean }): Promise<number | undefined>
  cancel(): Promise<void>
}

/**
 * The tenant's sync as the Devices screen shows it: its overview, live progress, start, cancel.
 * `answered`: the overview already here (the boot's), for the first one.
 */
export function useTenantSync(tenantId: string, answered?: Result<SyncOverview>): TenantSync {
  const load = useCallback(() => api().syncOverview({ tenantId }), [tenantId])
  const overview = useApiQuery(load, answered)
  const [live, setLive] = useState<SyncProgress>()
  const [error, setError] = useState<AppError>()

  useEvent('syncProgress', (progress) => {
    if (progress.tenantId !== tenantId) return
    setLive(progress)
    if (progress.status !== 'running') overview.reload()
  })

  const progress = live ?? overview.data?.running ?? undefined
  const running = progress?.status === 'running'

  async function start(kind: SyncKind, options: { serial?: string; force?: boolean } = {}) {
    setError(undefined)
    const result = await settle(api().startSync({ tenantId, kind, ...options }))
    if (!result.ok) {
      setError(result.error)
      return undefined
    }
    return result.value.id
  }

  async function cancel() {
    const result = await settle(api().cancelSync({ tenantId }))
    if (!result.ok) setError(result.error)
  }

  return { overview, progress, running, error, start, cancel }
}
