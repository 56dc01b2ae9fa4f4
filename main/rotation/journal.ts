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

export function advanceJournal(
  state: AppState,
  runId: string,
  step: RotationStep,
  at: Date,
  changes: Partial<Pick<RotationJournal, 'confirmation' | 'before'>> = {},
): RotationJournal {
  const current = findJournal(state, runId)
  if (!current) {
    throw new RotationConflictError(
      `the record of this change (${runId}) disappeared while it ran; another window may have ended it.`,
    )
  }
  const next: RotationJournal = { ...current, ...changes, step, updatedAt: at.toISOString() }
  putJournal(state, next)
  return next
}

export function removeJournal(state: AppState, runId: string): void {
  delete state.rotations[runId]
}
