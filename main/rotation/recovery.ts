// Start-up recovery of runs a crash, a kill or a power cut left unfinished. The state decides, not
// the journal's step: a tenant already bound to the new credential is finished (old secret purged,
// old record retired), anything else is rolled back (staged secret and pending record removed).
import type { Credential } from '../../preload/model'
import { finishedByRecoveryEntry, rolledBackByRecoveryEntry } from './audit-entries'
import { applyCutover, isCutOver } from './credential-transitions'
import { describeFailure } from './errors'
import { journalEntries, removeJournal, type JournalEntry, type RotationJournal } from './journal'
import { rollBack } from './rollback'
import type { RotationEngineDeps } from './rotation-types'
import { ownerMayBeRunning } from './run-owner'

export type RecoveryDeps = Omit<RotationEngineDeps, 'confirmer' | 'hooks'> & { now: () => Date }

export interface RecoveryResult {
  runId: string
  /** `deferred`: left for the next start (still running elsewhere, damaged, or a step failed). */
  action: 'finished' | 'rolled_back' | 'deferred'
  message?: string
}

export async function recoverRotations(
  deps: RecoveryDeps,
  runningHere: (runId: string) => boolean,
): Promise<RecoveryResult[]> {
  const results: RecoveryResult[] = []
  for (const entry of journalEntries(deps.state.read())) {
    if (!runningHere(entry.runId)) results.push(await recoverOne(deps, entry))
  }
  return results
}

async function recoverOne(deps: RecoveryDeps, entry: JournalEntry): Promise<RecoveryResult> {
  const { runId } = entry
  if (!entry.journal) return { runId, action: 'deferred', message: entry.problem }
  const journal = entry.journal
  if (ownerMayBeRunning(journal, deps.now())) {
    return { runId, action: 'deferred', message: 'another AxM process is still running it' }
  }
  try {
    if (isCutOver(deps.state.read(), journal)) {
      await finish(deps, journal)
      return { runId, action: 'finished' }
    }
    await rollBack(deps, journal)
    const tenantName = deps.state.read().tenants[journal.tenantId]?.name ?? journal.tenantId
    deps.audit.append(rolledBackByRecoveryEntry(journal, tenantName))
    return { runId, action: 'rolled_back' }
  } catch (error) {
    return { runId, action: 'deferred', message: describeFailure(error).reason }
  }
}

/** Completes a run past its cutover; each part is idempotent, so a second crash here is harmless. */
async function finish(deps: RecoveryDeps, journal: RotationJournal): Promise<void> {
  const state = await deps.state.update((current) => {
    applyCutover(current, journal, deps.now())
    return current
  })
  await deps.secrets.delete(journal.oldCredentialId)
  const after = await deps.tenantSnapshot(journal.tenantId)
  const cutover = {
    runId: journal.runId,
    tenantName: state.tenants[journal.tenantId]?.name ?? journal.tenantId,
    old: requireCredential(state.credentials, journal.oldCredentialId),
    next: requireCredential(state.credentials, journal.newCredentialId),
    confirmation: journal.confirmation,
    before: journal.before,
    after,
    oldKeyRemoved: true,
  }
  deps.audit.append(finishedByRecoveryEntry(cutover, journal.step))
  await deps.state.update((current) => removeJournal(current, journal.runId))
}

function requireCredential(credentials: Record<string, Credential>, id: string): Credential {
  const credential = credentials[id]
  // applyCutover has just checked both records exist.
  if (!credential) throw new Error(`credential ${id} vanished during recovery`)
  return credential
}
