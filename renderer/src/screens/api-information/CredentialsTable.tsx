import { useState } from 'react'
import type { Credential } from '../../../../preload/model'
import { HealthDot, OriginBadge, ScopeBadge, StatusBadge } from '../../components/Badges'
import { CopyableId } from '../../components/BreakableId'
import { Fingerprint } from '../../components/Fingerprint'
import { SortableHeader } from '../../components/SortableHeader'
import { renderNow } from '../../boot'
import { formatAge, formatDate, formatDateTime } from '../../format'
import type { CredentialRow, SortColumn, SortOrder } from './credentialRows'

interface CredentialsTableProps {
  rows: CredentialRow[]
  selectedId: string | undefined
  onSelect: (credential: Credential) => void
  order: SortOrder
  onSort: (order: SortOrder) => void
}

/**
 * Every credential with its tenant; the radio button in the first column picks the one the actions
 * apply to. Related facts share a cell, so the table fits a 960 px window; narrower (200% zoom),
 * the frame scrolls sideways, shows that it does, and scrolls with the keyboard too.
 */
export function CredentialsTable({
  rows,
  selectedId,
  onSelect,
  order,
  onSort,
}: CredentialsTableProps) {
  const [now] = useState(renderNow)
  const sortable = (column: SortColumn, label: string) => (
    <SortableHeader column={column} label={label} order={order} onSort={onSort} />
  )
  return (
    <div className="table-frame" role="region" aria-label="Credentials" tabIndex={0}>
      <table className="data-table credentials-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Selected</span>
            </th>
            {sortable('tenant', 'Tenant')}
            {sortable('name', 'Credential')}
            {sortable('clientId', 'Client ID')}
            <th scope="col">Key ID · fingerprint</th>
            {sortable('status', 'Status')}
            {sortable('keyAge', 'Key age')}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ credential, tenantName }) => (
            <tr
              key={credential.id}
              className={credential.id === selectedId ? 'selected' : undefined}
              onClick={() => onSelect(credential)}
            >
              <td>
                <input
                  type="radio"
                  name="selected-credential"
                  aria-label={`Select ${credential.name} (${tenantName})`}
                  checked={credential.id === selectedId}
                  onChange={() => onSelect(credential)}
                />
              </td>
              <td className="cell-tenant">{tenantName}</td>
              <td className="cell-stack">
                <span className="cell-strong">{credential.name}</span>
                <span className="cell-badges">
                  <ScopeBadge scope={credential.scope} />
                  <OriginBadge origin={credential.origin} />
                </span>
              </td>
              <td className="cell-mono cell-id">
                <CopyableId value={credential.clientId} label="Client ID" />
              </td>
              <td className="cell-mono cell-id cell-stack">
                <CopyableId value={credential.keyId} label="Key ID" />
                <Fingerprint value={credential.publicKeyFingerprint} />
              </td>
              <td className="cell-stack">
                <StatusBadge status={credential.status} />
                <LastCheck credential={credential} />
              </td>
              <td>{formatAge(credential.activatedAt ?? credential.createdAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function LastCheck({ credential }: { credential: Credential }) {
  const check = credential.lastCheck
  if (!check) return <span className="muted">Never checked</span>
  return (
    <span className="last-check" title={`${formatDateTime(check.at)}: ${check.message}`}>
      <HealthDot check={check} />
      {check.ok ? 'OK' : 'Failed'} · {formatDate(check.at)}
    </span>
  )
}
