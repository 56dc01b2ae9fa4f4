import type { ManagedEntryView } from '../../../../preload/model'
import { CopyableId } from '../../components/BreakableId'
import { Fingerprint } from '../../components/Fingerprint'
import { scopeProduct } from '../../format'

const keyFormatLabel = { 'encrypted-pkcs8': 'Encrypted PEM (PKCS#8)', pkcs12: 'PKCS#12' } as const

/** A managed entry as the MDM pushed it. */
export function ManagedEntryDetails({ entry }: { entry: ManagedEntryView }) {
  return (
    <dl className="facts">
      <dt>Name</dt>
      <dd>{entry.name}</dd>
      <dt>Client ID</dt>
      <dd className="cell-mono">
        <CopyableId value={entry.clientId} label="Client ID" />
      </dd>
      <dt>Key ID</dt>
      <dd className="cell-mono">
        <CopyableId value={entry.keyId} label="Key ID" />
      </dd>
      <dt>Scope</dt>
      <dd>{scopeProduct[entry.scope]}</dd>
      <dt>Key</dt>
      <dd>{keyFormatLabel[entry.keyFormat]}</dd>
      {entry.publicKeyFingerprint && (
        <>
          <dt>Fingerprint</dt>
          <dd>
            <Fingerprint value={entry.publicKeyFingerprint} />
          </dd>
        </>
      )}
      <dt>Managed id</dt>
      <dd>
        {entry.id} (revision {entry.revision})
      </dd>
    </dl>
  )
}
