// Small labels that repeat across screens: scope, credential status and origin, connection health.
import type {
  ConnectionCheck,
  CredentialOrigin,
  CredentialStatus,
  Scope,
} from '../../../preload/model'
import { formatDateTime, scopeLabel } from '../format'

export function ScopeBadge({ scope }: { scope: Scope }) {
  return <span className={`badge badge-scope-${scope}`}>{scopeLabel[scope]}</span>
}

const statusLabel: Record<CredentialStatus, string> = {
  active: 'Active',
  pending: 'Pending',
  retired: 'Retired',
}

export function StatusBadge({ status }: { status: CredentialStatus }) {
  return <span className={`badge badge-status-${status}`}>{statusLabel[status]}</span>
}

export function OriginBadge({ origin }: { origin: CredentialOrigin }) {
  if (origin === 'manual') return <span className="origin-manual">Manual</span>
  return (
    <span className="badge badge-managed" title="Pushed by your MDM; read-only in this app">
      <LockIcon /> Managed
    </span>
  )
}

function LockIcon() {
  return (
    <svg className="lock-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5Zm1.5 0h4V5a2 2 0 0 0-4 0v2Z" />
    </svg>
  )
}

type Health = 'ok' | 'failed' | 'unknown'

export function healthOf(check: ConnectionCheck | undefined): Health {
  if (!check) return 'unknown'
  return check.ok ? 'ok' : 'failed'
}

const healthText: Record<Health, string> = {
  ok: 'Connection OK',
  failed: 'Connection failed',
  unknown: 'Not checked yet',
}

/** A coloured dot for the last connection check, with the check's details as its accessible name. */
export function HealthDot({ check }: { check: ConnectionCheck | undefined }) {
  const health = healthOf(check)
  const detail = check ? `${healthText[health]} (${formatDateTime(check.at)})` : healthText[health]
  return (
    <span className={`health-dot health-${health}`} role="img" aria-label={detail} title={detail} />
  )
}
