import { useState, type FormEvent } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { Credential, Tenant } from '../../../../preload/model'
import { api, settle } from '../../api'
import { CredentialFormFields } from '../../components/credential-form/CredentialFormFields'
import { useCredentialForm } from '../../components/credential-form/useCredentialForm'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { useDiscardGuard } from '../../components/useDiscardGuard'
import { KeptTenantField } from './KeptTenantField'

interface AddCredentialDialogProps {
  tenants: Tenant[]
  /** A tenant without a credential to re-use, chosen before the dialog opens. */
  initialTenantId?: string
  onClose: () => void
  onAdded: (credential: Credential) => void
}

/**
 * A new credential, for a new tenant or for one whose last credential was removed with its data
 * kept: that tenant's devices and coverage history then belong to the new credential.
 */
export function AddCredentialDialog({
  tenants,
  initialTenantId = '',
  onClose,
  onAdded,
}: AddCredentialDialogProps) {
  const kept = tenants.filter((tenant) => tenant.activeCredentialId === null)
  const [tenantId, setTenantId] = useState(initialTenantId)
  const reused = kept.find((tenant) => tenant.id === tenantId)
  const form = useCredentialForm({ requiredScope: reused?.scope })
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<AppError>()
  const guard = useDiscardGuard(form.dirty, onClose, 'The new credential')

  async function save(event: FormEvent) {
    event.preventDefault()
    setSaving(true)
    const input = await form.submit()
    if (!input) {
      setSaving(false)
      return
    }
    setError(undefined)
    const result = await settle(api().addCredential({ ...input, tenantId: reused?.id }))
    setSaving(false)
    if (result.ok) onAdded(result.value)
    else if (!form.showServerError(result.error)) setError(result.error)
  }

  return (
    <Dialog title="Add Credential" onClose={guard.close} wide>
      <form onSubmit={(event) => void save(event)} noValidate>
        {kept.length > 0 && (
          <KeptTenantField
            kept={kept}
            scope={form.scope}
            value={reused?.id ?? ''}
            onChange={setTenantId}
          />
        )}
        <CredentialFormFields form={form} />
        {error && <ErrorNotice error={error} title="The credential was not added." />}
        <DialogActions>
          <button type="button" className="btn" onClick={guard.close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </DialogActions>
      </form>
      {guard.prompt}
    </Dialog>
  )
}
