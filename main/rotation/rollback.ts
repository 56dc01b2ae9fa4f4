// Undoing a run that never reached its cutover: the staged secret goes first, then the pending
// record and the journal in one write. If the secret cannot be deleted the journal stays, so the
// next start tries again and no secret is ever left without a record that points at it.
import type { SecretStore } from '../vault/secret-store'
import type { StateStore } from '../vault/state-store'
import { discardPendingCredential } from './credential-transitions'
import { removeJournal, type RotationJournal } from './journal'

export async function rollBack(
  deps: { state: StateStore; secrets: SecretStore },
  journal: RotationJournal,
): Promise<void> {
  await deps.secrets.delete(journal.newCredentialId)
  await deps.state.update((state) => {
    discardPendingCredential(state, journal)
    removeJournal(state, journal.runId)
  })
}
