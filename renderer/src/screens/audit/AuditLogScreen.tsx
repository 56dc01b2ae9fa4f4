import { useCallback, useId, useState } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { AuditKind, Tenant } from '../../../../preload/model'
import { auditKindRule } from '../../../../preload/rules'
import { api, settle } from '../../api'
import { ErrorNotice } from '../../components/ErrorNotice'
import { auditKindLabel, formatDateTime, plural } from '../../format'
import { useApiQuery } from '../../hooks/useApiQuery'
import { useEvent } from '../../hooks/useEvent'
import { ScreenHeader } from '../../components/ScreenHeader'

/** '' in a select means "all". */
const auditFilter = (tenantId: string, kind: AuditKind | '') => ({
  tenantId: tenantId || undefined,
  kind: kind || undefined,
})

type ExportOutcome = { path: string; rows: number } | { error: AppError }

/** Every credential operation, newest first, filtered by tenant and kind. */
export function AuditLogScreen({ tenants }: { tenants: Tenant[] }) {
  const tenantSelectId = useId()
  const kindSelectId = useId()
  const [tenantId, setTenantId] = useState('')
  const [kind, setKind] = useState<AuditKind | ''>('')
  const [exported, setExported] = useState<ExportOutcome>()
  const loadEntries = useCallback(
    () => api().listAudit(auditFilter(tenantId, kind)),
    [tenantId, kind],
  )
  const entries = useApiQuery(loadEntries)
  useEvent('dataChanged', (change) => {
    if (change.what === 'audit') entries.reload()
  })

  async function exportCsv() {
    const result = await settle(api().exportAuditCsv(auditFilter(tenantId, kind)))
    if (!result.ok) setExported({ error: result.error })
    else if (result.value) setExported(result.value)
  }

  const tenantName = (id: string | undefined) =>
    id ? (tenants.find((t) => t.id === id)?.name ?? 'Removed tenant') : '—'

  return (
    <div className="screen">
      <ScreenHeader
        title="Audit Log"
        description="Every change to credentials, recorded on this computer. Keys and passphrases are never recorded."
      >
        <button type="button" className="btn" onClick={() => void exportCsv()}>
          Export CSV…
        </button>
      </ScreenHeader>
      <div className="table-tools">
        <div className="field field-inline">
          <label htmlFor={tenantSelectId}>Tenant</label>
          <select
            id={tenantSelectId}
            value={tenantId}
            onChange={(e) => setTenantId(e.target.value)}
          >
            <option value="">All tenants</option>
            {tenants.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor={kindSelectId}>Kind</label>
          <select
            id={kindSelectId}
            value={kind}
            onChange={(e) => {
              const parsed = auditKindRule.safeParse(e.target.value)
              setKind(parsed.success ? parsed.data : '')
            }}
          >
            <option value="">All kinds</option>
            {auditKindRule.options.map((k) => (
              <option key={k} value={k}>
                {auditKindLabel[k]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {exported &&
        ('error' in exported ? (
          <ErrorNotice error={exported.error} title="The audit log was not exported." />
        ) : (
          <p className="notice notice-success" role="status">
            Exported {plural(exported.rows, 'entry', 'entries')} to {exported.path}.
          </p>
        ))}
      {entries.error && (
        <ErrorNotice error={entries.error} title="The audit log could not be read." />
      )}
      {entries.data?.length === 0 ? (
        <p className="empty-inline muted">No entries match these filters.</p>
      ) : (
        <div className="table-frame">
          <table className="data-table audit-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Kind</th>
                <th scope="col">Tenant</th>
                <th scope="col">Summary</th>
              </tr>
            </thead>
            <tbody>
              {entries.data?.map((entry) => (
                <tr key={entry.id}>
                  <td className="cell-nowrap">{formatDateTime(entry.at)}</td>
                  <td className="cell-nowrap">
                    <span className={entry.kind.endsWith('.failed') ? 'kind kind-failed' : 'kind'}>
                      {auditKindLabel[entry.kind]}
                    </span>
                  </td>
                  <td>{tenantName(entry.tenantId)}</td>
                  <td className="cell-wrap">{entry.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
