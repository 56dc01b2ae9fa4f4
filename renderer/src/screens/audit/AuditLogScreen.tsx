import { useCallback, useId, useState } from 'react'
import type { AppError, AuditFilterInput } from '../../../../preload/contract'
import type { AuditKind, Tenant } from '../../../../preload/model'
import { api, settle } from '../../api'
import { ErrorNotice } from '../../components/ErrorNotice'
import { ScreenHeader } from '../../components/ScreenHeader'
import { SearchField } from '../../components/SearchField'
import { auditKindLabel, formatDateTime, plural } from '../../format'
import { useApiQuery } from '../../hooks/useApiQuery'
import { useDebounced } from '../../hooks/useDebounced'
import { useEvent } from '../../hooks/useEvent'

const PAGE_SIZE = 50
const AUDIT_KINDS = Object.keys(auditKindLabel) as AuditKind[]

interface Filters {
  tenantId: string
  kind: AuditKind | ''
  search: string
  /** YYYY-MM-DD from the date inputs, '' for open-ended. */
  fromDay: string
  toDay: string
}

const NO_FILTERS: Filters = { tenantId: '', kind: '', search: '', fromDay: '', toDay: '' }

/** A local calendar day as the instant it starts, in the UTC form the audit log records. */
function startOfDay(day: string, plusDays = 0): string | undefined {
  const date = new Date(`${day}T00:00:00`)
  if (Number.isNaN(date.getTime())) return undefined
  date.setDate(date.getDate() + plusDays)
  return date.toISOString()
}

/** '' in a select or a box means "any". */
function auditFilter({ tenantId, kind, search, fromDay, toDay }: Filters): AuditFilterInput {
  return {
    tenantId: tenantId || undefined,
    kind: kind || undefined,
    search: search.trim() || undefined,
    from: fromDay ? startOfDay(fromDay) : undefined,
    until: toDay ? startOfDay(toDay, 1) : undefined,
  }
}

type ExportOutcome = { path: string; rows: number } | { error: AppError }

/** Every credential operation, newest first, filtered by tenant, kind, words and days, by pages. */
export function AuditLogScreen({ tenants }: { tenants: Tenant[] }) {
  const tenantSelectId = useId()
  const kindSelectId = useId()
  const fromId = useId()
  const toId = useId()
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [page, setPage] = useState(0)
  const [exported, setExported] = useState<ExportOutcome>()
  const search = useDebounced(filters.search, 200)
  const query = auditFilter({ ...filters, search })
  const queryKey = JSON.stringify(query)
  const loadEntries = useCallback(
    () => api().listAudit(JSON.parse(queryKey) as AuditFilterInput),
    [queryKey],
  )
  const entries = useApiQuery(loadEntries)
  useEvent('dataChanged', () => entries.reload())

  const set = (change: Partial<Filters>) => {
    setFilters((current) => ({ ...current, ...change }))
    setPage(0)
  }

  async function exportCsv() {
    const result = await settle(api().exportAuditCsv(query))
    if (!result.ok) setExported({ error: result.error })
    else if (result.value) setExported(result.value)
  }

  const tenantName = (id: string | undefined) =>
    id ? (tenants.find((t) => t.id === id)?.name ?? 'Removed tenant') : '—'
  const all = entries.data ?? []
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE))
  const shownPage = Math.min(page, pages - 1)
  const shown = all.slice(shownPage * PAGE_SIZE, (shownPage + 1) * PAGE_SIZE)
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS)

  return (
    <div className="screen">
      <ScreenHeader
        title="Audit Log"
        description="Every change to credentials and tenants, recorded on this computer with the account that made it. Keys and passphrases are never recorded."
      >
        <button
          type="button"
          className="btn"
          disabled={all.length === 0}
          title={all.length === 0 ? 'Nothing to export: no entry matches.' : undefined}
          onClick={() => void exportCsv()}
        >
          Export CSV…
        </button>
      </ScreenHeader>
      <div className="table-tools table-tools-wrap">
        <SearchField
          label="Search"
          placeholder="Words in the summary, a user or an id"
          value={filters.search}
          onValueChange={(value) => set({ search: value })}
        />
        <div className="field field-inline">
          <label htmlFor={tenantSelectId}>Tenant</label>
          <select
            id={tenantSelectId}
            value={filters.tenantId}
            onChange={(e) => set({ tenantId: e.target.value })}
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
            value={filters.kind}
            onChange={(e) =>
              set({ kind: AUDIT_KINDS.find((kind) => kind === e.target.value) ?? '' })
            }
          >
            <option value="">All kinds</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {auditKindLabel[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor={fromId}>From</label>
          <input
            id={fromId}
            type="date"
            value={filters.fromDay}
            max={filters.toDay || undefined}
            onChange={(e) => set({ fromDay: e.target.value })}
          />
        </div>
        <div className="field field-inline">
          <label htmlFor={toId}>To</label>
          <input
            id={toId}
            type="date"
            value={filters.toDay}
            min={filters.fromDay || undefined}
            onChange={(e) => set({ toDay: e.target.value })}
          />
        </div>
        {filtered && (
          <button type="button" className="btn btn-quiet" onClick={() => set(NO_FILTERS)}>
            Clear Filters
          </button>
        )}
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
        <p className="empty-inline muted" role="status">
          {filtered ? 'No entries match these filters.' : 'Nothing has been recorded yet.'}
        </p>
      ) : (
        <>
          <div className="table-frame" role="region" aria-label="Audit entries" tabIndex={0}>
            <table className="data-table audit-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Tenant</th>
                  <th scope="col">Who</th>
                  <th scope="col">Summary</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((entry) => (
                  <tr key={entry.id}>
                    <td className="cell-nowrap">{formatDateTime(entry.at)}</td>
                    <td className="cell-nowrap">
                      <span
                        className={entry.kind.endsWith('.failed') ? 'kind kind-failed' : 'kind'}
                      >
                        {auditKindLabel[entry.kind]}
                      </span>
                    </td>
                    <td>{tenantName(entry.tenantId)}</td>
                    <td>{entry.user ?? <span className="muted">Not recorded</span>}</td>
                    <td className="cell-wrap">{entry.summary}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {all.length > 0 && (
            <nav className="pager" aria-label="Audit log pages">
              <button
                type="button"
                className="btn btn-small"
                disabled={shownPage === 0}
                onClick={() => setPage(shownPage - 1)}
              >
                Newer
              </button>
              <span>
                {plural(all.length, 'entry', 'entries')} · page {shownPage + 1} of {pages}
              </span>
              <button
                type="button"
                className="btn btn-small"
                disabled={shownPage >= pages - 1}
                onClick={() => setPage(shownPage + 1)}
              >
                Older
              </button>
            </nav>
          )}
        </>
      )}
    </div>
  )
}
