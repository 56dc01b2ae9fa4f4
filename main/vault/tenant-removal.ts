// Deleting a removed tenant's data, journaled: a note beside the tenant's database says the data is
// to go before the write that drops the tenant's records, and goes itself only once the data is
// deleted and the deletion audited. A crash or a kill anywhere in between leaves the note, and the
// next start finishes the deletion (or drops the note of a removal whose records never went), so
// the audit log says a tenant's data was deleted exactly when it is gone.
import { z } from 'zod/mini'
import { credentialStatusSchema, type Credential } from '../../preload/model'
import type { AuditLog, NewAuditEntry } from '../audit/audit-log'
import { ownerMayBeRunning } from '../process-owner'
import type { StateStore } from './state-store'

export const tenantRemovalNoteSchema = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  credentialsRemoved: z.int(),
  /** The credential whose removal removes the tenant, for its audit entry should a kill lose it. */
  credential: z.object({
    id: z.string(),
    name: z.string(),
    clientId: z.string(),
    status: credentialStatusSchema,
  }),
  /** The process removing the tenant, so a second process never finishes one still in flight. */
  ownerPid: z.int(),
  updatedAt: z.string(),
})
export type TenantRemovalNote = z.infer<typeof tenantRemovalNoteSchema>

/** Where the notes are kept: beside the tenant data they are about (main/tenants). */
export interface TenantRemovalNotes {
  noteRemoval(note: TenantRemovalNote): void
  /** The notes left, unreadable ones as the problem with them. */
  notedRemovals(): Array<TenantRemovalNote | { tenantId: string; problem: string }>
  dropRemovalNote(tenantId: string): void
  /** Deletes the tenant's data; deleting data that is already gone is not an error. */
  remove(tenantId: string): void
}

export interface TenantRemovalDeps {
  state: StateStore
  audit: Pick<AuditLog, 'append' | 'list'>
  tenantData: TenantRemovalNotes
  now: () => Date
}

/** The tenants whose removal this process is running: recovery leaves their notes alone. */
const removingHere = new Set<string>()

/** Notes the removal of `note.tenantId`'s data, held as this process's own until release. */
export function noteRemoval(tenantData: TenantRemovalNotes, note: TenantRemovalNote): void {
  removingHere.add(note.tenantId)
  try {
    tenantData.noteRemoval(note)
  } catch (error) {
    removingHere.delete(note.tenantId)
    throw error
  }
}

export function releaseRemoval(tenantId: string): void {
  removingHere.delete(tenantId)
}

/**
 * Deletes the data of a tenant whose records are gone, audits it and drops the note. The entry is
 * written once: one found from an earlier try (a crash after it, before the note went) is kept. An
 * audit log that cannot be written does not fail the deletion, which is done; the note stays, so
 * the next start writes the entry.
 */
export function finishRemoval(deps: TenantRemovalDeps, note: TenantRemovalNote): void {
  deps.tenantData.remove(note.tenantId)
  try {
    const logged = deps.audit.list({ tenantId: note.tenantId })
    // Written right after the records went, unless a kill came in between.
    if (!logged.some((entry) => entry.kind === 'credential.removed')) {
      deps.audit.append(
        credentialRemovedEntry({ ...note.credential, tenantId: note.tenantId }, 'delete'),
      )
    }
    if (!logged.some((entry) => entry.kind === 'tenant.removed')) {
      deps.audit.append({
        kind: 'tenant.removed',
        tenantId: note.tenantId,
        summary: `Removed tenant "${note.tenantName}" and deleted its data`,
        details: { credentialsRemoved: note.credentialsRemoved },
      })
    }
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error
    console.error(`The audit entry tenant.removed could not be written (${name}).`)
    return
  }
  deps.tenantData.dropRemovalNote(note.tenantId)
}

/** The audit entry of a removed credential, with what became of its tenant's data. */
export function credentialRemovedEntry(
  credential: Pick<Credential, 'id' | 'tenantId' | 'name' | 'clientId' | 'status'>,
  tenantData: 'untouched' | 'keep' | 'delete',
): NewAuditEntry {
  return {
    kind: 'credential.removed',
    tenantId: credential.tenantId,
    credentialId: credential.id,
    summary: `Removed credential "${credential.name}" (${credential.clientId})`,
    details: { clientId: credential.clientId, status: credential.status, tenantData },
  }
}

export interface TenantRemovalRecovery {
  tenantId: string
  /**
   * `finished`: the data deleted and audited; `abandoned`: the removal never dropped the records,
   * so the data stays; `deferred`: left for the next start (its owner still runs, or a step failed).
   */
  action: 'finished' | 'abandoned' | 'deferred'
  message?: string
}

export function recoverTenantRemovals(deps: TenantRemovalDeps): TenantRemovalRecovery[] {
  const results: TenantRemovalRecovery[] = []
  for (const note of deps.tenantData.notedRemovals()) {
    const { tenantId } = note
    if (removingHere.has(tenantId)) continue
    if ('problem' in note) {
      results.push({ tenantId, action: 'deferred', message: note.problem })
      continue
    }
    if (ownerMayBeRunning(note, deps.now())) {
      results.push({ tenantId, action: 'deferred', message: 'another AxM process is removing it' })
      continue
    }
    try {
      if (Object.hasOwn(deps.state.read().tenants, tenantId)) {
        deps.tenantData.dropRemovalNote(tenantId)
        results.push({ tenantId, action: 'abandoned' })
      } else {
        finishRemoval(deps, note)
        results.push({ tenantId, action: 'finished' })
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      results.push({ tenantId, action: 'deferred', message })
    }
  }
  return results
}
