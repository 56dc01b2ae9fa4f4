import { useState } from 'react'
import type { Credential } from '../../../../preload/model'
import { HealthDot, OriginBadge, ScopeBadge, StatusBadge } from '../../components/Badges'
import { BreakableId } from '../../components/BreakableId'
import { Fingerprint } from '../../components/Fingerprint'
import { formatAge, formatDate, formatDateTime } from '../../format'

interface CredentialsTableProps {
  credentials: Credential[]
  selectedId: string | undefined
  onSelect: (credentialId: string) => void
}

/** Every credential; the radio button in the first column picks the one the actions apply to. */
export function CredentialsTable({ credentials, selectedId, onSelect }: CredentialsTableProps) {
  const [now] = useState(() => Date.now())
  return (
    <div className="table-frame">
      <table className="data-table credentials-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Selected</span>
            </th>
            <th scope="col">Name</th>
            <th scope="col">Client ID</th>
            <th scope="col">Key ID</th>
            <th scope="col">Scope</th>
            <th scope="col">Fingerprint</th>
            <th scope="col">Status</th>
            <th scope="col">Origin</th>
            <th scope="col">Last check</th>
            <th scope="col">Key age</th>
          </tr>
        </thead>
        <tbody>
          {credentials.map((credential) => (
            <tr
              key={credential.id}
              className={credential.id === selectedId ? 'selected' : undefined}
              onClick={() => onSelect(credential.id)}
            >
              <td>
                <input
                  type="radio"
                  name="selected-credential"
                  aria-label={`Select ${credential.name}`}
                  checked={credential.id === selectedId}
                  onChange={() => onSelect(credential.id)}
                />
              </td>
              <td className="cell-strong">{credential.name}</td>
              <td className="cell-mono cell-id">
                <BreakableId value={credential.clientId} />
              </td>
              <td className="cell-mono cell-id">
                <BreakableId value={credential.keyId} />
              </td>
              <td>
                <ScopeBadge scope={credential.scope} />
              </td>
              <td>
                <Fingerprint value={credential.publicKeyFingerprint} />
              </td>
              <td>
                <StatusBadge status={credential.status} />
              </td>
              <td>
                <OriginBadge origin={credential.origin} />
              </td>
              <td>
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
  if (!check) return <span className="muted">Never</span>
  return (
    <span className="last-check" title={`${formatDateTime(check.at)}: ${check.message}`}>
      <HealthDot check={check} />
      {check.ok ? 'OK' : 'Failed'} · {formatDate(check.at)}
    </span>
  )
}
