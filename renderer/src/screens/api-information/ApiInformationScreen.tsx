import { useState } from 'react'
import type { Credential, Tenant } from '../../../../preload/model'
import { ScreenHeader } from '../../components/ScreenHeader'
import { SearchField } from '../../components/SearchField'
import { ChangeCredentialWizard } from '../change-credential/ChangeCredentialWizard'
import { ConnectionTest } from './ConnectionTest'
import { credentialRows, type SortOrder } from './credentialRows'
import { CredentialsTable } from './CredentialsTable'
import { EmptyCredentials } from './EmptyCredentials'
import { RemoveCredentialDialog, type Removed } from './RemoveCredentialDialog'
import { RenameDialog, type RenameTarget } from './RenameDialog'

interface ApiInformationScreenProps {
  tenants: Tenant[]
  credentials: Credential[]
  /** The sidebar's tenant: the selected credential is always one of its. */
  tenantId: string | undefined
  onSelectTenant: (tenantId: string) => void
  onAdd: () => void
  onChanged: () => void
}

type OpenDialog =
  | { kind: 'rename'; target: RenameTarget }
  | { kind: 'remove' | 'change'; credential: Credential }
  | undefined

export function ApiInformationScreen({
  tenants,
  credentials,
  tenantId,
  onSelectTenant,
  onAdd,
  onChanged,
}: ApiInformationScreenProps) {
  const [selectedId, setSelectedId] = useState<string>()
  const [showRetired, setShowRetired] = useState(false)
  const [search, setSearch] = useState('')
  const [order, setOrder] = useState<SortOrder>({ column: 'tenant', descending: false })
  const [dialog, setDialog] = useState<OpenDialog>()
  const [removed, setRemoved] = useState<Removed>()
  const live = credentials.filter((c) => showRetired || c.status !== 'retired')
  const rows = credentialRows(live, tenants, search, order)
  const tenant = tenants.find((t) => t.id === tenantId)
  // The selection follows the sidebar: the credential picked last if it is this tenant's, else
  // the tenant's active one. Picking a row of another tenant switches the sidebar too.
  const ofTenant = rows.filter((row) => row.credential.tenantId === tenantId)
  const selected = (
    ofTenant.find((row) => row.credential.id === selectedId) ??
    ofTenant.find((row) => row.credential.id === tenant?.activeCredentialId) ??
    ofTenant[0]
  )?.credential
  const hasRetired = credentials.some((c) => c.status === 'retired')
  const tenantOf = (credential: Credential) => tenants.find((t) => t.id === credential.tenantId)

  const select = (credential: Credential) => {
    setSelectedId(credential.id)
    onSelectTenant(credential.tenantId)
  }
  const closeAfterChange = () => {
    setDialog(undefined)
    onChanged()
  }

  return (
    <div className="screen">
      <ScreenHeader
        title="API Information"
        description="API accounts from Apple Business Manager and Apple School Manager, under the tenant (organisation) each belongs to. Private keys stay in the system keychain."
      >
        <button
          type="button"
          className="btn btn-primary"
          onClick={onAdd}
          aria-keyshortcuts="Control+N Meta+N"
        >
          Add Credential
        </button>
      </ScreenHeader>

      {removed && (
        <p className="notice notice-success" role="status">
          {removed.message}
        </p>
      )}
      {credentials.length === 0 ? (
        <EmptyCredentials onAdd={onAdd} />
      ) : (
        <>
          <div className="selection-bar">
            <div className="table-tools">
              <SearchField
                label="Search credentials"
                placeholder="Tenant, name, Client ID, Key ID or fingerprint"
                value={search}
                onValueChange={setSearch}
              />
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
            <div className="toolbar" role="toolbar" aria-label="Selected credential">
              <span className="toolbar-label">
                Selected:{' '}
                <strong>{selected ? `${selected.name} (${tenant?.name ?? ''})` : 'none'}</strong>
              </span>
              {selected && (
                <SelectedActions
                  credential={selected}
                  tenant={tenantOf(selected)}
                  onOpen={setDialog}
                  onChecked={onChanged}
                />
              )}
            </div>
          </div>
          {rows.length === 0 ? (
            <p className="empty-inline muted" role="status">
              No credential matches "{search.trim()}". Search by tenant, credential name, Client ID,
              Key ID or fingerprint.
            </p>
          ) : (
            <CredentialsTable
              rows={rows}
              selectedId={selected?.id}
              onSelect={select}
              order={order}
              onSort={setOrder}
            />
          )}
        </>
      )}

      {dialog?.kind === 'rename' && (
        <RenameDialog
          target={dialog.target}
          onClose={() => setDialog(undefined)}
          onRenamed={closeAfterChange}
        />
      )}
      {dialog?.kind === 'remove' && (
        <RemoveCredentialDialog
          credential={dialog.credential}
          tenant={tenantOf(dialog.credential)}
          onClose={() => setDialog(undefined)}
          onRemoved={(result) => {
            setRemoved(result)
            closeAfterChange()
          }}
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
  tenant,
  onOpen,
  onChecked,
}: {
  credential: Credential
  tenant: Tenant | undefined
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
        onClick={() => onOpen({ kind: 'rename', target: { kind: 'credential', credential } })}
      >
        Rename
      </button>
      {tenant && (
        <button
          type="button"
          className="btn"
          onClick={() => onOpen({ kind: 'rename', target: { kind: 'tenant', tenant } })}
        >
          Rename Tenant
        </button>
      )}
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
