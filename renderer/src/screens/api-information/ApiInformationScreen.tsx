import { useState } from 'react'
import type { Credential, Tenant } from '../../../../preload/model'
import { ChangeCredentialWizard } from '../change-credential/ChangeCredentialWizard'
import { AddCredentialDialog } from './AddCredentialDialog'
import { ConnectionTest } from './ConnectionTest'
import { CredentialsTable } from './CredentialsTable'
import { EmptyCredentials } from './EmptyCredentials'
import { RemoveCredentialDialog } from './RemoveCredentialDialog'
import { RenameCredentialDialog } from './RenameCredentialDialog'
import { ScreenHeader } from '../../components/ScreenHeader'

interface ApiInformationScreenProps {
  tenants: Tenant[]
  credentials: Credential[]
  onChanged: () => void
  onAdded: (credential: Credential) => void
}

type OpenDialog =
  { kind: 'add' } | { kind: 'rename' | 'remove' | 'change'; credential: Credential } | undefined

export function ApiInformationScreen({
  tenants,
  credentials,
  onChanged,
  onAdded,
}: ApiInformationScreenProps) {
  const [selectedId, setSelectedId] = useState<string>()
  const [showRetired, setShowRetired] = useState(false)
  const [dialog, setDialog] = useState<OpenDialog>()
  const visible = credentials.filter((c) => showRetired || c.status !== 'retired')
  const selected = visible.find((c) => c.id === selectedId) ?? visible[0]
  const hasRetired = credentials.some((c) => c.status === 'retired')
  const tenantOf = (credential: Credential) => tenants.find((t) => t.id === credential.tenantId)

  const closeAfterChange = () => {
    setDialog(undefined)
    onChanged()
  }

  return (
    <div className="screen">
      <ScreenHeader
        title="API Information"
        description="API accounts from Apple Business Manager and Apple School Manager. Private keys stay in the system keychain."
      >
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setDialog({ kind: 'add' })}
        >
          Add Credential
        </button>
      </ScreenHeader>

      {credentials.length === 0 ? (
        <EmptyCredentials onAdd={() => setDialog({ kind: 'add' })} />
      ) : (
        <>
          <div className="toolbar" role="toolbar" aria-label="Selected credential">
            <span className="toolbar-label">
              Selected: <strong>{selected?.name ?? 'none'}</strong>
            </span>
            {selected && (
              <SelectedActions credential={selected} onOpen={setDialog} onChecked={onChanged} />
            )}
            {hasRetired && (
              <label className="checkbox toolbar-end">
                <input
                  type="checkbox"
                  checked={showRetired}
                  onChange={(event) => setShowRetired(event.target.checked)}
                />
                Show retired credentials
              </label>
            )}
          </div>
          <CredentialsTable
            credentials={visible}
            selectedId={selected?.id}
            onSelect={setSelectedId}
          />
        </>
      )}

      {dialog?.kind === 'add' && (
        <AddCredentialDialog
          tenants={tenants}
          onClose={() => setDialog(undefined)}
          onAdded={(credential) => {
            setSelectedId(credential.id)
            closeAfterChange()
            onAdded(credential)
          }}
        />
      )}
      {dialog?.kind === 'rename' && (
        <RenameCredentialDialog
          credential={dialog.credential}
          onClose={() => setDialog(undefined)}
          onRenamed={closeAfterChange}
        />
      )}
      {dialog?.kind === 'remove' && (
        <RemoveCredentialDialog
          credential={dialog.credential}
          tenant={tenantOf(dialog.credential)}
          onClose={() => setDialog(undefined)}
          onRemoved={closeAfterChange}
        />
      )}
      {dialog?.kind === 'change' && (
        <ChangeCredentialWizard
          credential={dialog.credential}
          tenant={tenantOf(dialog.credential)}
          onClose={() => setDialog(undefined)}
          onChanged={onChanged}
        />
      )}
    </div>
  )
}

function SelectedActions({
  credential,
  onOpen,
  onChecked,
}: {
  credential: Credential
  onOpen: (dialog: OpenDialog) => void
  onChecked: () => void
}) {
  const managed = credential.origin === 'managed'
  const managedNote = managed ? 'Managed by your MDM: changes arrive from it' : undefined
  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={managed || credential.status !== 'active'}
        title={managedNote}
        onClick={() => onOpen({ kind: 'change', credential })}
      >
        Change Credential
      </button>
      <ConnectionTest key={credential.id} credential={credential} onChecked={onChecked} />
      <button
        type="button"
        className="btn"
        disabled={managed || credential.status === 'retired'}
        title={managedNote}
        onClick={() => onOpen({ kind: 'rename', credential })}
      >
        Rename
      </button>
      <button
        type="button"
        className="btn btn-danger-quiet"
        onClick={() => onOpen({ kind: 'remove', credential })}
      >
        Remove
      </button>
    </>
  )
}
