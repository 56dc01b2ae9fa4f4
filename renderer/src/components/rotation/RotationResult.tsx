import type { RotationOutcome } from '../../../../preload/model'
import { formatCount, plural } from '../../format'
import { Fingerprint } from '../Fingerprint'
import type { CredentialSummary } from './CredentialSummary'
import { RevokeOldKey } from './RevokeOldKey'

interface RotationResultProps {
  outcome: RotationOutcome
  from: CredentialSummary
  to: CredentialSummary
}

const confirmationText = {
  oauth: 'Confirmed with Apple',
  offline: 'Confirmed offline by you',
} as const

/** What a finished rotation changed, and proof that the tenant's data came along. */
export function RotationResult({ outcome, from, to }: RotationResultProps) {
  const { before, after } = outcome
  const rows: [string, string, string][] = [
    ['Name', from.name, to.name],
    ['Client ID', from.clientId, to.clientId],
    ['Key ID', from.keyId, to.keyId],
  ]
  return (
    <div className="rotation-result">
      <p className="notice notice-success" role="status">
        The credential was changed. {confirmationText[outcome.confirmation]}.
      </p>
      <table className="compare-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Field</span>
            </th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, old, next]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{old}</td>
              <td className={old === next ? undefined : 'changed'}>{next}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Fingerprint</th>
            <td>{from.fingerprint && <Fingerprint value={from.fingerprint} />}</td>
            <td className="changed">{to.fingerprint && <Fingerprint value={to.fingerprint} />}</td>
          </tr>
        </tbody>
      </table>
      <dl className="facts">
        <dt>Confirmation</dt>
        <dd>{confirmationText[outcome.confirmation]}</dd>
        <dt>Tenant data carried over</dt>
        <dd>
          {plural(after.devices, 'device')} and {plural(after.coverage, 'coverage record')} (before
          the change: {formatCount(before.devices)} and {formatCount(before.coverage)})
        </dd>
        <dt>Old key</dt>
        <dd>Removed from the keychain; the old credential is kept as retired.</dd>
      </dl>
      <RevokeOldKey oldCredentialId={outcome.oldCredentialId} old={from} />
    </div>
  )
}
