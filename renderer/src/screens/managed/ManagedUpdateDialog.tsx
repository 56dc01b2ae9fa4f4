import { useId, useState, type FormEvent } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { Credential, ManagedEntryView } from '../../../../preload/model'
import { api } from '../../api'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import type { CredentialSummary } from '../../components/rotation/CredentialSummary'
import { RotationRunView } from '../../components/rotation/RotationRunView'
import { useRotationRun } from '../../components/rotation/useRotationRun'
import { ManagedEntryDetails } from './ManagedEntryDetails'
import { PassphraseField } from './PassphraseField'

interface ManagedUpdateDialogProps {
  entry: ManagedEntryView
  credentials: Credential[]
  onClose: () => void
  onImported: () => void
}

/** Input mistakes the admin fixes in the form itself rather than on the failure screen. */
const FORM_ERRORS = new Set(['wrong_passphrase', 'passphrase_required', 'invalid_input'])

/** Update Existing Credential: the entry replaces a credential through the rotation engine. */
export function ManagedUpdateDialog({
  entry,
  credentials,
  onClose,
  onImported,
}: ManagedUpdateDialogProps) {
  const selectId = useId()
  // The list as it was when the dialog opened: after the update the replaced credential is retired,
  // and the result must still name it.
  const [known] = useState(credentials)
  const candidates = known.filter((c) => c.status === 'active' && c.scope === entry.scope)
  const [replaceId, setReplaceId] = useState(
    candidates.find((c) => c.id === entry.suggestedCredentialId)?.id ?? candidates[0]?.id ?? '',
  )
  const [passphrase, setPassphrase] = useState('')
  const [formError, setFormError] = useState<AppError>()
  // The payload may not name its key's fingerprint; the imported credential always does.
  const [importedFingerprint, setImportedFingerprint] = useState<string>()
  const rotation = useRotationRun()
  const replaced = known.find((c) => c.id === replaceId)

  async function update(confirmOffline: boolean) {
    setFormError(undefined)
    const result = await rotation.start(async (runId) => {
      const imported = await api().importManaged({
        runId,
        entryId: entry.id,
        revision: entry.revision,
        passphrase,
        replaceCredentialId: replaceId,
        confirmOffline,
      })
      if (!imported.ok) return imported
      setImportedFingerprint(imported.value.credential.publicKeyFingerprint)
      if (imported.value.rotation) return { ok: true, value: imported.value.rotation }
      return {
        ok: false,
        error: { code: 'internal', message: 'The update finished without a rotation report.' },
      }
    })
    if (result.ok) onImported()
    else if (FORM_ERRORS.has(result.error.code)) {
      rotation.reset()
      setFormError(result.error)
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    if (replaceId !== '' && passphrase !== '') void update(false)
  }

  const run = rotation.run
  const from: CredentialSummary = {
    name: replaced?.name ?? '',
    clientId: replaced?.clientId ?? '',
    keyId: replaced?.keyId ?? '',
    fingerprint: replaced?.publicKeyFingerprint,
  }
  const to: CredentialSummary = {
    name: entry.name,
    clientId: entry.clientId,
    keyId: entry.keyId,
    fingerprint: importedFingerprint ?? entry.publicKeyFingerprint,
  }

  return (
    <Dialog
      title="Update Existing Credential"
      onClose={run?.phase === 'running' ? undefined : onClose}
      wide
    >
      {run ? (
        <RotationRunView
          run={run}
          from={from}
          to={to}
          onCancel={rotation.cancel}
          onRetry={({ confirmOffline }) => void update(confirmOffline)}
          onBack={rotation.reset}
          onClose={onClose}
        />
      ) : (
        <form onSubmit={submit} noValidate>
          <ManagedEntryDetails entry={entry} />
          {candidates.length === 0 ? (
            <p className="notice notice-info">
              There is no active credential of this scope to replace. Use Add as New Credential
              instead.
            </p>
          ) : (
            <div className="field">
              <label htmlFor={selectId}>Credential to replace</label>
              <select
                id={selectId}
                value={replaceId}
                onChange={(e) => setReplaceId(e.target.value)}
              >
                {candidates.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.clientId})
                  </option>
                ))}
              </select>
            </div>
          )}
          <PassphraseField
            value={passphrase}
            onValueChange={(value) => {
              setPassphrase(value)
              setFormError(undefined)
            }}
            error={formError?.code === 'wrong_passphrase' ? formError.message : undefined}
          />
          {formError && formError.code !== 'wrong_passphrase' && (
            <ErrorNotice error={formError} title="The credential was not updated." />
          )}
          <DialogActions>
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={replaceId === '' || passphrase === ''}
            >
              Update Credential
            </button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  )
}
