import { useState } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { Credential, ManagedEntryView, ManagedState } from '../../../../preload/model'
import { api, settle } from '../../api'
import { ErrorNotice } from '../../components/ErrorNotice'
import { loadedWhenShown } from '../../components/loadedWhenShown'
import { ManagedProblems } from './ManagedProblems'

const ManagedAddDialog = loadedWhenShown(() =>
  import('./ManagedAddDialog').then((m) => m.ManagedAddDialog),
)
const ManagedUpdateDialog = loadedWhenShown(() =>
  import('./ManagedUpdateDialog').then((m) => m.ManagedUpdateDialog),
)

interface ManagedBannerProps {
  managed: ManagedState
  credentials: Credential[]
  onChanged: () => void
}

type Action = { kind: 'add' | 'update'; entry: ManagedEntryView } | undefined

/** The entry dismissed last, which Undo brings back. */
type Dismissed = { entry: ManagedEntryView; restoring?: boolean } | undefined

/** Managed credentials the MDM pushed, each waiting for the admin to add, update with or dismiss. */
export function ManagedBanner({ managed, credentials, onChanged }: ManagedBannerProps) {
  const [action, setAction] = useState<Action>()
  const [error, setError] = useState<{ error: AppError; title: string }>()
  const [dismissed, setDismissed] = useState<Dismissed>()
  const { pending: entries, problems } = managed
  const count = entries.length

  async function dismiss(entry: ManagedEntryView) {
    setError(undefined)
    const result = await settle(
      api().dismissManaged({ entryId: entry.id, revision: entry.revision }),
    )
    if (result.ok) {
      setDismissed({ entry })
      onChanged()
    } else setError({ error: result.error, title: 'The entry was not dismissed.' })
  }

  async function undoDismiss(entry: ManagedEntryView) {
    setDismissed({ entry, restoring: true })
    const result = await settle(
      api().restoreManaged({ entryId: entry.id, revision: entry.revision }),
    )
    setDismissed(undefined)
    if (result.ok) onChanged()
    else setError({ error: result.error, title: 'The entry was not brought back.' })
  }

  const finish = () => {
    setAction(undefined)
    setDismissed(undefined)
    onChanged()
  }

  // The dialogs live outside the banner: the banner goes once the last entry is imported, while
  // the update dialog still shows its result.
  return (
    <>
      {(count > 0 || problems.length > 0 || dismissed) && (
        <section className="managed-banner" aria-label="Managed credentials">
          {count > 0 && (
            <p className="managed-banner-title">
              {count === 1
                ? '1 managed credential is ready to import'
                : `${count} managed credentials are ready to import`}
            </p>
          )}
          <ul className="managed-entries">
            {entries.map((entry) => (
              <li key={`${entry.id}@${entry.revision}`} className="managed-entry">
                <span>
                  <strong>{entry.name}</strong>{' '}
                  <span className="cell-mono muted">{entry.clientId}</span>
                </span>
                <span className="managed-entry-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setAction({ kind: 'add', entry })}
                  >
                    Add as New Credential
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setAction({ kind: 'update', entry })}
                  >
                    Update Existing Credential
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-quiet"
                    onClick={() => void dismiss(entry)}
                    aria-label={`Dismiss ${entry.name}`}
                  >
                    Dismiss
                  </button>
                </span>
              </li>
            ))}
          </ul>
          {problems.length > 0 && (
            <ManagedProblems problems={problems} location={managed.source.location} />
          )}
          {dismissed && (
            <p className="notice-row" role="status">
              Dismissed {dismissed.entry.name} (revision {dismissed.entry.revision}); it comes back
              when your MDM sends a new revision.
              <button
                type="button"
                className="btn btn-small"
                disabled={dismissed.restoring}
                onClick={() => void undoDismiss(dismissed.entry)}
              >
                Undo
              </button>
            </p>
          )}
          {error && <ErrorNotice error={error.error} title={error.title} />}
        </section>
      )}
      {action?.kind === 'add' && (
        <ManagedAddDialog
          entry={action.entry}
          onClose={() => setAction(undefined)}
          onImported={finish}
        />
      )}
      {action?.kind === 'update' && (
        <ManagedUpdateDialog
          entry={action.entry}
          credentials={credentials}
          onClose={() => setAction(undefined)}
          onImported={onChanged}
        />
      )}
    </>
  )
}
