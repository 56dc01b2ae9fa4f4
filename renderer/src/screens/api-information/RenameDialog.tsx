import { useState, type FormEvent } from 'react'
import type { AppError, Result } from '../../../../preload/contract'
import type { Credential, Tenant } from '../../../../preload/model'
import { api, settle } from '../../api'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { TextField } from '../../components/TextField'

/** The rule main applies to every display name, checked as the admin types. */
function nameProblem(name: string): string | undefined {
  const trimmed = name.trim()
  if (trimmed === '') return 'Name is required'
  if (trimmed.length > 120) return 'Name is at most 120 characters'
  return undefined
}

export type RenameTarget =
  { kind: 'credential'; credential: Credential } | { kind: 'tenant'; tenant: Tenant }

const wording = {
  credential: {
    title: 'Rename Credential',
    noun: 'credential',
    hint: 'Its tenant keeps its own name; change that with Rename Tenant.',
  },
  tenant: {
    title: 'Rename Tenant',
    noun: 'tenant',
    hint: 'Its credentials keep their own names.',
  },
} as const

function rename(target: RenameTarget, name: string): Promise<Result<unknown>> {
  return target.kind === 'credential'
    ? api().renameCredential({ credentialId: target.credential.id, name })
    : api().renameTenant({ tenantId: target.tenant.id, name })
}

/**
 * A credential's name or its tenant's: the organisation and its API account are named apart, so
 * renaming one leaves the other as it is, and the dialog says so.
 */
export function RenameDialog({
  target,
  onClose,
  onRenamed,
}: {
  target: RenameTarget
  onClose: () => void
  onRenamed: () => void
}) {
  const current = target.kind === 'credential' ? target.credential.name : target.tenant.name
  const [name, setName] = useState(current)
  const [error, setError] = useState<AppError>()
  const problem = nameProblem(name)
  const { title, noun, hint } = wording[target.kind]

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (problem) return
    const result = await settle(rename(target, name.trim()))
    if (result.ok) onRenamed()
    else setError(result.error)
  }

  return (
    <Dialog title={`${title}: ${current}`} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label={`New ${noun} name`}
          value={name}
          onValueChange={setName}
          error={problem}
          hint={hint}
          autoComplete="off"
        />
        {error && <ErrorNotice error={error} title={`The ${noun} was not renamed.`} />}
        <DialogActions>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={problem !== undefined}>
            Rename
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
