// Recovery of runs a crash, a kill, a power cut or a failed step left unfinished. The state decides,
// not the journal's step: a tenant already bound to the new credential is finished (old secret
// purged, old record retired), anything else is rolled back (pending record and staged secret
// removed). It runs at start-up for every run, and before a rotation for that tenant's runs.
import type { Credential } from '../../preload/model'
import {
  appendBestEffort,
  deferredEntry,
  finishedByRecoveryEntry,
  oldKeyRemovedEntry,
  rolledBackByRecoveryEntry,
} from './audit-entries'
import { applyCutover, isCutOver } from './credential-transitions'
import { describeFailure } from './errors'
import {
  journalEntries,
  removeJournal,
  requireJournal,
  type JournalEntry,
  type RotationJournal,
} from './journal'
import { rollBack } from './rollback'
import type { RotationEngineDeps } from './rotation-types'
import { ownerMayBeRunning } from '../process-owner'

export type RecoveryDeps = Omit<RotationEngineDeps, 'confirmer' | 'hooks'> & { now: () => Date }

export interface RecoveryResult {
  runId: string
  /** `deferred`: left for later (still running elsewhere, damaged, or a step failed). */
  action: 'finished' | 'rolled_back' | 'deferred'
  message?: string
}

const RUNNING_ELSEWHERE = 'another AxM process is still running it'

export interface RecoveryScope {
  /** Runs this process is executing now; they are never touched. */
  runningHere(runId: string): boolean
  /** Only this tenant's runs, when omitted every run. */
  tenantId?: string
  /** Record each run left as it is in the audit log: at start-up, not before every rotation. */
  auditDeferred?: boolean
}

export async function recoverRotations(
  deps: RecoveryDeps,
  scope: RecoveryScope,
): Promise<RecoveryResult[]> {
  const results: RecoveryResult[] = []
  for (const entry of journalEntries(deps.state.read())) {
    if (scope.runningHere(entry.runId)) continue
    if (scope.tenantId !== undefined && entry.journal?.tenantId !== scope.tenantId) continue
    const result = await recoverOne(deps, entry)
    // A run another process is in the middle of is that process's to audit: recovery did nothing.
    const runningElsewhere = result.message === RUNNING_ELSEWHERE
    if (result.action === 'deferred' && scope.auditDeferred && !runningElsewhere) {
      const { runId, journal } = entry
      const tenantName = journal ? tenantNameOf(deps, journal.tenantId) : undefined
      const reason = result.message ?? 'it could not be finished or undone.'
      appendBestEffort(deps.audit, deferredEntry({ runId, journal, tenantName, reason }))
    }
    results.push(result)
  }
  return results
}

async function recoverOne(deps: RecoveryDeps, entry: JournalEntry): Promise<RecoveryResult> {
  const { runId } = entry
  if (!entry.journal) return { runId, action: 'deferred', message: entry.problem }
  const journal = entry.journal
  if (ownerMayBeRunning(journal, deps.now())) {
    return { runId, action: 'deferred', message: RUNNING_ELSEWHERE }
  }
  try {
    if (isCutOver(deps.state.read(), journal)) {
      await finish(deps, journal)
      return { runId, action: 'finished' }
    }
    await rollBack(deps, journal)
    const tenantName = tenantNameOf(deps, journal.tenantId)
    appendBestEffort(deps.audit, rolledBackByRecoveryEntry(journal, tenantName))
    return { runId, action: 'rolled_back' }
  } catch (error) {
    return { runId, action: 'deferred', message: describeFailure(error).reason }
  }
}

/** Completes a run past its cutover; each part is idempotent, so a second crash here is harmless. */
async function finish(deps: RecoveryDeps, journal: RotationJournal): Promise<void> {
  const state = await deps.state.update((current) => {
    // A run finished elsewhere since the journal was read has nothing left to do here.
    requireJournal(current, journal.runId)
    applyCutover(current, journal, deps.now())
    return current
  })
  await deps.secrets.delete(journal.oldCredentialId)
  const cutover = {
    runId: journal.runId,
    tenantName: state.tenants[journal.tenantId]?.name ?? journal.tenantId,
    old: requireCredential(state.credentials, journal.oldCredentialId),
    next: requireCredential(state.credentials, journal.newCredentialId),
  }
  const entry = journal.rotatedAudited
    ? oldKeyRemovedEntry(cutover)
    : finishedByRecoveryEntry(
        {
          ...cutover,
          confirmation: journal.confirmation,
          before: journal.before,
          after: await deps.tenantSnapshot(journal.tenantId),
          oldKeyRemoved: true,
        },
        journal.step,
      )
  appendBestEffort(deps.audit, entry)
  await deps.state.update((current) => removeJournal(current, journal.runId))
}

function tenantNameOf(deps: RecoveryDeps, tenantId: string): string {
  try {
    return deps.state.read().tenants[tenantId]?.name ?? tenantId
  } catch {
    return tenantId
  }
}

function requireCredential(credentials: Record<string, Credential>, id: string): Credential {
  const credential = credentials[id]
  // applyCutover has just checked both records exist.
  if (!credential) throw new Error(`credential ${id} vanished during recovery`)
  return credential
}
