// The rotation journal: one entry per unfinished Change Credential run, kept in the state file next
// to the records it changes and advanced before each step acts, so that after a crash recovery
// knows what may exist (a pending record, a staged secret) and can finish or undo it. It holds ids,
// step, times and row counts only: never key material.
import { z } from 'zod'
import { rotationStepSchema, type RotationStep } from '../../preload/model'
import type { AppState } from '../vault/state-store'
import { RotationConflictError } from './errors'

const snapshotSchema = z.object({
  devices: z.number().int(),
  coverage: z.number().int(),
  contentHash: z.string(),
})

export const rotationJournalSchema = z.object({
  runId: z.string(),
  tenantId: z.string(),
  oldCredentialId: z.string(),
  /** Chosen at validation, before anything is staged, so recovery can find the staged secret. */
  newCredentialId: z.string(),
  step: rotationStepSchema,
  startedAt: z.string(),
  updatedAt: z.string(),
  /** The process running the rotation, so a second process never recovers a run still in flight. */
  ownerPid: z.number().int(),
  confirmation: z.enum(['oauth', 'offline']).optional(),
  /** The tenant's data before staging, for the audit entry written when the run is finished. */
  before: snapshotSchema.optional(),
  /**
   * Set, under the lock, once a rollback has checked the tenant was not cut over and removed the
   * pending record: from then on the run can only be undone, and the staged secret is deleted.
   */
  rollingBack: z.literal(true).optional(),
  /** The `credential.rotated` entry is written: recovery only has the old key's removal to add. */
  rotatedAudited: z.literal(true).optional(),
})
export type RotationJournal = z.infer<typeof rotationJournalSchema>

export type JournalEntry =
  { runId: string; journal: RotationJournal } | { runId: string; journal: null; problem: string }

/** Every journal in the state, each parsed on its own so one damaged entry hides no other. */
export function journalEntries(state: AppState): JournalEntry[] {
  return Object.entries(state.rotations).map(([runId, raw]) => {
    const parsed = rotationJournalSchema.safeParse(raw)
    if (parsed.success && parsed.data.runId === runId) return { runId, journal: parsed.data }
    return { runId, journal: null, problem: `rotation journal ${runId} is damaged` }
  })
}

export function findJournal(state: AppState, runId: string): RotationJournal | undefined {
  const parsed = rotationJournalSchema.safeParse(state.rotations[runId])
  return parsed.success ? parsed.data : undefined
}

/** True while any journal, even a damaged one, may belong to this tenant. */
export function tenantHasJournal(state: AppState, tenantId: string): boolean {
  return journalEntries(state).some(
    (entry) => entry.journal === null || entry.journal.tenantId === tenantId,
  )
}

export function putJournal(state: AppState, journal: RotationJournal): void {
  state.rotations[journal.runId] = journal
}

/** The journal of a run that must still be unfinished: a missing one was ended elsewhere. */
export function requireJournal(state: AppState, runId: string): RotationJournal {
  const current = findJournal(state, runId)
  if (!current) {
    throw new RotationConflictError(
      `the record of this change (${runId}) disappeared while it ran; another window may have ended it.`,
    )
  }
  return current
}

export type JournalChanges = Partial<
  Pick<RotationJournal, 'confirmation' | 'before' | 'rollingBack' | 'rotatedAudited'>
>

export function advanceJournal(
  state: AppState,
  runId: string,
  step: RotationStep,
  at: Date,
  changes: JournalChanges = {},
): RotationJournal {
  return reviseJournal(state, runId, at, { ...changes, step })
}

/** Records what the run has done so far, at the step it is at unless told otherwise. */
export function reviseJournal(
  state: AppState,
  runId: string,
  at: Date,
  changes: JournalChanges & { step?: RotationStep },
): RotationJournal {
  const next: RotationJournal = {
    ...requireJournal(state, runId),
    ...changes,
    updatedAt: at.toISOString(),
  }
  putJournal(state, next)
  return next
}

export function removeJournal(state: AppState, runId: string): void {
  delete state.rotations[runId]
}
