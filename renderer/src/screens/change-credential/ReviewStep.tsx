import { useCallback } from 'react'
import type { Credential, Tenant } from '../../../../preload/model'
import { api } from '../../api'
import { DialogActions } from '../../components/Dialog'
import { CopyableId } from '../../components/BreakableId'
import { Fingerprint } from '../../components/Fingerprint'
import { plural } from '../../format'
import { useApiQuery } from '../../hooks/useApiQuery'

interface ReviewStepProps {
  credential: Credential
  tenant: Tenant | undefined
  onCancel: () => void
  onNext: () => void
}

/** The credential as it is now, and what Migrate will do, in plain words. */
export function ReviewStep({ credential, tenant, onCancel, onNext }: ReviewStepProps) {
  const loadCounts = useCallback(
    () => api().deviceCounts({ tenantId: credential.tenantId }),
    [credential.tenantId],
  )
  const counts = useApiQuery(loadCounts).data
  return (
    <>
      <h3>Current credential</h3>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{credential.name}</dd>
        <dt>Client ID</dt>
        <dd className="cell-mono">
          <CopyableId value={credential.clientId} label="Client ID" />
        </dd>
        <dt>Key ID</dt>
        <dd className="cell-mono">
          <CopyableId value={credential.keyId} label="Key ID" />
        </dd>
        <dt>Fingerprint</dt>
        <dd>
          <Fingerprint value={credential.publicKeyFingerprint} />
        </dd>
      </dl>
      <h3>What will happen</h3>
      <ol className="steps-list">
        <li>The new Client ID, Key ID and private key are checked.</li>
        <li>The new key is stored in the keychain next to the current one.</li>
        <li>
          The app asks Apple to accept the new key. If Apple cannot be reached, you may confirm it
          yourself instead.
        </li>
        <li>{tenant?.name ?? 'The tenant'} switches to the new credential in one step.</li>
        <li>The old key is removed from the keychain; the old credential is kept as retired.</li>
      </ol>
      <p className="notice notice-info">
        The tenant&apos;s data stays where it is
        {counts
          ? `: ${plural(counts.devices, 'device')} and their coverage history carry over.`
          : '.'}{' '}
        If any step fails, nothing is changed.
      </p>
      <DialogActions>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={onNext}>
          Next
        </button>
      </DialogActions>
    </>
  )
}
