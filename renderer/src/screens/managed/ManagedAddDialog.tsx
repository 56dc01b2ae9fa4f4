import { useState, type FormEvent } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { ManagedEntryView } from '../../../../preload/model'
import { api, settle } from '../../api'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { ManagedEntryDetails } from './ManagedEntryDetails'
import { PassphraseField } from './PassphraseField'

interface ManagedAddDialogProps {
  entry: ManagedEntryView
  onClose: () => void
  onImported: () => void
}

/** Add as New Credential: the entry becomes a credential (and tenant) of its own. */
export function ManagedAddDialog({ entry, onClose, onImported }: ManagedAddDialogProps) {
  const [passphrase, setPassphrase] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError>()

  async function importEntry(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    const result = await settle(
      api().importManaged({
        runId: crypto.randomUUID(),
        entryId: entry.id,
        revision: entry.revision,
        passphrase,
      }),
    )
    setBusy(false)
    if (result.ok) onImported()
    else setError(result.error)
  }

  const passphraseError = error?.code === 'wrong_passphrase' ? error.message : undefined
  return (
    <Dialog title="Add Managed Credential" onClose={onClose}>
      <form onSubmit={(event) => void importEntry(event)} noValidate>
        <ManagedEntryDetails entry={entry} />
        <PassphraseField
          value={passphrase}
          onValueChange={(value) => {
            setPassphrase(value)
            if (passphraseError) setError(undefined)
          }}
          error={passphraseError}
        />
        {error && !passphraseError && (
          <ErrorNotice error={error} title="The managed credential was not added." />
        )}
        <DialogActions>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || passphrase === ''}>
            {busy ? 'Adding…' : 'Add Credential'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
