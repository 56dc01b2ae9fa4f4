import { useState, type FormEvent } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { Credential, Tenant } from '../../../../preload/model'
import { api, settle } from '../../api'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { TextField } from '../../components/TextField'

interface RemoveCredentialDialogProps {
  credential: Credential
  tenant: Tenant | undefined
  onClose: () => void
  onRemoved: (removed: Removed) => void
}

/** What a removal did, for the screen to say once the dialog is gone. */
export interface Removed {
  message: string
}

function removedMessage(
  credential: Credential,
  tenantName: string,
  choice: DataChoice | undefined,
) {
  if (choice === 'keep') {
    return `Removed "${credential.name}". The tenant "${tenantName}" keeps its devices and coverage history; add a credential for it when you have a new key.`
  }
  if (choice === 'delete') {
    return `Removed "${credential.name}" and deleted the tenant "${tenantName}" with its devices and coverage history.`
  }
  return `Removed "${credential.name}" and deleted its private key from the keychain.`
}

type DataChoice = 'keep' | 'delete'

/**
 * Removing the credential a tenant runs on leaves the tenant without one, so the admin decides what
 * happens to its devices and coverage history; deleting them needs the tenant's name typed out.
 */
export function RemoveCredentialDialog({
  credential,
  tenant,
  onClose,
  onRemoved,
}: RemoveCredentialDialogProps) {
  const [decisionAsked, setDecisionAsked] = useState(tenant?.activeCredentialId === credential.id)
  const [choice, setChoice] = useState<DataChoice>()
  const [confirmName, setConfirmName] = useState('')
  const [error, setError] = useState<AppError>()
  const tenantName = tenant?.name ?? ''
  const nameMatches = confirmName.trim() === tenantName
  const ready = !decisionAsked || choice === 'keep' || (choice === 'delete' && nameMatches)

  async function remove(event: FormEvent) {
    event.preventDefault()
    if (!ready) return
    const result = await settle(
      api().removeCredential({
        credentialId: credential.id,
        tenantData: decisionAsked ? choice : undefined,
        confirmName: choice === 'delete' ? confirmName.trim() : undefined,
      }),
    )
    if (result.ok) {
      onRemoved({
        message: removedMessage(credential, tenantName, decisionAsked ? choice : undefined),
      })
    } else if (result.error.code === 'tenant_data_decision_required') setDecisionAsked(true)
    else setError(result.error)
  }

  return (
    <Dialog title="Remove Credential" onClose={onClose}>
      <form onSubmit={(event) => void remove(event)} noValidate>
        <p>
          Remove the credential <strong>{credential.name}</strong> of the tenant{' '}
          <strong>{tenantName}</strong> and delete its private key from the keychain?
        </p>
        {decisionAsked && (
          <fieldset className="field choice-group">
            <legend>
              This is the active credential of <strong>{tenantName}</strong>. What should happen to
              its devices and coverage history?
            </legend>
            <label className="choice">
              <input
                type="radio"
                name="tenant-data"
                checked={choice === 'keep'}
                onChange={() => setChoice('keep')}
              />
              <span>
                <strong>Keep data</strong>
                <span className="choice-detail">
                  The tenant stays with its data; add a new credential for it later.
                </span>
              </span>
            </label>
            <label className="choice">
              <input
                type="radio"
                name="tenant-data"
                checked={choice === 'delete'}
                onChange={() => setChoice('delete')}
              />
              <span>
                <strong>Delete data</strong>
                <span className="choice-detail">
                  The tenant, its devices and its coverage history are deleted from this computer.
                </span>
              </span>
            </label>
            {choice === 'delete' && (
              <TextField
                label={`Type "${tenantName}" to confirm`}
                value={confirmName}
                onValueChange={setConfirmName}
                error={confirmName !== '' && !nameMatches ? 'The name does not match.' : undefined}
                autoComplete="off"
              />
            )}
          </fieldset>
        )}
        {error && <ErrorNotice error={error} title="The credential was not removed." />}
        <DialogActions>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-danger" disabled={!ready}>
            Remove
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
