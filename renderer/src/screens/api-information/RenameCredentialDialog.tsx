import { useState, type FormEvent } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { Credential } from '../../../../preload/model'
import { displayNameRule } from '../../../../preload/rules'
import { api, settle } from '../../api'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { TextField } from '../../components/TextField'

interface RenameCredentialDialogProps {
  credential: Credential
  onClose: () => void
  onRenamed: () => void
}

export function RenameCredentialDialog({
  credential,
  onClose,
  onRenamed,
}: RenameCredentialDialogProps) {
  const [name, setName] = useState(credential.name)
  const [error, setError] = useState<AppError>()
  const parsed = displayNameRule.safeParse(name)

  async function rename(event: FormEvent) {
    event.preventDefault()
    if (!parsed.success) return
    const result = await settle(api().renameCredential({ credentialId: credential.id, name }))
    if (result.ok) onRenamed()
    else setError(result.error)
  }

  return (
    <Dialog title="Rename Credential" onClose={onClose}>
      <form onSubmit={(event) => void rename(event)} noValidate>
        <TextField
          label="New name"
          value={name}
          onValueChange={setName}
          error={parsed.success ? undefined : parsed.error.issues[0]?.message}
          autoFocus
        />
        {error && <ErrorNotice error={error} title="The credential was not renamed." />}
        <DialogActions>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!parsed.success}>
            Rename
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
