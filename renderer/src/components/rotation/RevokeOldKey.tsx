import { useState } from 'react'
import type { AppError } from '../../../../preload/contract'
import { scopeOfClientId } from '../../../../preload/rules'
import { api, settle } from '../../api'
import { scopeProduct } from '../../format'
import { CopyableId } from '../BreakableId'
import { ErrorNotice } from '../ErrorNotice'
import type { CredentialSummary } from './CredentialSummary'

/** Where each Apple portal keeps its API accounts. */
const API_PAGE = {
  business: 'your name at the bottom of the sidebar, then Preferences → API',
  school: 'your name at the bottom of the sidebar, then Settings → API',
} as const

/**
 * The last step of a change, which only the admin can take: revoking the old key at Apple, so a
 * leaked copy stops working. Marking it done is recorded in the audit log.
 */
export function RevokeOldKey({
  oldCredentialId,
  old,
}: {
  oldCredentialId: string
  old: CredentialSummary
}) {
  const [state, setState] = useState<'open' | 'recording' | 'recorded' | AppError>('open')
  const scope = scopeOfClientId(old.clientId)

  async function markRevoked() {
    setState('recording')
    const result = await settle(api().markKeyRevoked({ credentialId: oldCredentialId }))
    setState(result.ok ? 'recorded' : result.error)
  }

  return (
    <section className="notice notice-warning revoke-old-key" aria-labelledby="revoke-old-key">
      <h3 id="revoke-old-key" className="notice-title">
        Last step: revoke the old key in {scopeProduct[scope]}
      </h3>
      <p>
        The old key still works at Apple until it is revoked there. In {scopeProduct[scope]}, click{' '}
        {API_PAGE[scope]}, open the API account{' '}
        <span className="cell-mono">
          <CopyableId value={old.clientId} label="old Client ID" />
        </span>{' '}
        and revoke the key{' '}
        <span className="cell-mono">
          <CopyableId value={old.keyId} label="old Key ID" />
        </span>
        . Do it now if the old key may have leaked.
      </p>
      {state === 'recorded' ? (
        <p role="status">Recorded in the audit log: the old key was revoked at Apple.</p>
      ) : (
        <button
          type="button"
          className="btn"
          disabled={state === 'recording'}
          onClick={() => void markRevoked()}
        >
          I Revoked the Old Key
        </button>
      )}
      {typeof state === 'object' && (
        <ErrorNotice error={state} title="The revocation was not recorded." />
      )}
    </section>
  )
}
