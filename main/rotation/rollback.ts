// Undoing a run that never reached its cutover. The decision comes first, in one locked write that
// refuses if the tenant already uses the new credential, removes the pending record and marks the
// journal as rolling back; only then is the staged secret deleted, and the journal goes last. A
// secret is so never deleted on a guess, and one that cannot be deleted yet stays covered by the
// journal, which the next recovery finishes. A run that knows its keychain write never succeeded
// has no secret to delete, so a missing keychain does not keep its journal.
import type { SecretStore } from '../vault/secret-store'
import type { StateStore } from '../vault/state-store'
import { discardPendingCredential } from './credential-transitions'
import { removeJournal, reviseJournal, type RotationJournal } from './journal'

export async function rollBack(
  deps: { state: StateStore; secrets: SecretStore; now: () => Date },
  journal: RotationJournal,
  /** `secretStaged: false` only from the run itself, when its write of the new key failed. */
  { secretStaged = true }: { secretStaged?: boolean } = {},
): Promise<void> {
  await deps.state.update((state) => {
    discardPendingCredential(state, journal)
    reviseJournal(state, journal.runId, deps.now(), { rollingBack: true })
  })
  if (secretStaged) await deps.secrets.delete(journal.newCredentialId)
  await deps.state.update((state) => removeJournal(state, journal.runId))
}
