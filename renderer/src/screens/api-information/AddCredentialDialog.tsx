import { useState, type FormEvent } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { Credential } from '../../../../preload/model'
import { api, settle } from '../../api'
import { CredentialFormFields } from '../../components/credential-form/CredentialFormFields'
import { useCredentialForm } from '../../components/credential-form/useCredentialForm'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'

interface AddCredentialDialogProps {
  onClose: () => void
  onAdded: (credential: Credential) => void
}

export function AddCredentialDialog({ onClose, onAdded }: AddCredentialDialogProps) {
  const form = useCredentialForm()
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<AppError>()

  async function save(event: FormEvent) {
    event.preventDefault()
    const input = form.submit()
    if (!input) return
    setSaving(true)
    setError(undefined)
    const result = await settle(api().addCredential(input))
    setSaving(false)
    if (result.ok) onAdded(result.value)
    else if (!form.showServerError(result.error)) setError(result.error)
  }

  return (
    <Dialog title="Add Credential" onClose={onClose} wide>
      <form onSubmit={(event) => void save(event)} noValidate>
        <CredentialFormFields form={form} />
        {error && <ErrorNotice error={error} title="The credential was not added." />}
        <DialogActions>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
