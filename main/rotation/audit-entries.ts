// The audit entries a rotation leaves: what changed, how the new key was confirmed, and the tenant's
// row counts on both sides of the cutover. Ids, names, short fingerprints and counts only.
import {
  shortFingerprint,
  type AuditEntry,
  ConfirmationMethod,
  Credential,
  RotationStep,
  TenantDataSnapshot,
} from '../../preload/model'
import type { AuditLog } from '../audit/audit-log'
import { STEP_LABELS } from './errors'
import type { RotationJournal } from './journal'

export type AuditInput = Omit<AuditEntry, 'id' | 'at'>

/**
 * Appends an entry about a change that is already made (or a failure already decided): an audit
 * log that cannot be written must neither fail nor block that change. Only the error's name is
 * logged, since a message could quote a path or what the entry held.
 */
export function appendBestEffort(audit: Pick<AuditLog, 'append'>, entry: AuditInput): boolean {
  try {
    audit.append(entry)
    return true
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error
    console.error(`The audit log could not record a ${entry.kind} entry (${name}).`)
    return false
  }
}

const CONFIRMATION_LABELS: Record<ConfirmationMethod, string> = {
  oauth: 'Apple accepted the new key',
  offline: 'the user confirmed the new key offline',
}

interface Cutover {
  runId: string
  tenantName: string
  old: Credential
  next: Credential
  confirmation: ConfirmationMethod | undefined
  before: TenantDataSnapshot | undefined
  after: TenantDataSnapshot
  oldKeyRemoved: boolean
}

/** The details both a finished run and a recovered one record about the cutover. */
function cutoverDetails(cutover: Cutover): NonNullable<AuditEntry['details']> {
  const { old, next, before, after } = cutover
  return {
    runId: cutover.runId,
    fromCredentialId: old.id,
    toCredentialId: next.id,
    fromName: old.name,
    toName: next.name,
    fromFingerprint: shortFingerprint(old.publicKeyFingerprint),
    toFingerprint: shortFingerprint(next.publicKeyFingerprint),
    confirmation: cutover.confirmation ?? null,
    devicesBefore: before?.devices ?? null,
    coverageBefore: before?.coverage ?? null,
    devicesAfter: after.devices,
    coverageAfter: after.coverage,
    dataUnchanged: before ? before.contentHash === after.contentHash : null,
    oldKeyRemoved: cutover.oldKeyRemoved,
  }
}

/** The sentence that tells the admin the tenant's data came through whole. */
function carriedOver({ before, after }: Cutover): string {
  const counts = `${after.devices} devices and ${after.coverage} coverage records`
  if (!before) return `The tenant has ${counts}.`
  return before.contentHash === after.contentHash
    ? `All ${counts} were carried over unchanged.`
    : `The tenant had ${before.devices} devices and ${before.coverage} coverage records before and has ${counts} after.`
}

export function rotatedEntry(cutover: Cutover & { confirmation: ConfirmationMethod }): AuditInput {
  return {
    kind: 'credential.rotated',
    tenantId: cutover.next.tenantId,
    credentialId: cutover.next.id,
    summary:
      `Changed the credential of "${cutover.tenantName}" from "${cutover.old.name}" to ` +
      `"${cutover.next.name}"; ${CONFIRMATION_LABELS[cutover.confirmation]}. ` +
      carriedOver(cutover),
    details: cutoverDetails(cutover),
  }
}

export function finishedByRecoveryEntry(cutover: Cutover, interruptedAt: RotationStep): AuditInput {
  return {
    kind: 'rotation.recovered',
    tenantId: cutover.next.tenantId,
    credentialId: cutover.next.id,
    summary:
      `Finished an interrupted credential change of "${cutover.tenantName}": "${cutover.next.name}" ` +
      `is its credential, "${cutover.old.name}" is retired.`,
    details: { ...cutoverDetails(cutover), action: 'finished', interruptedAt },
  }
}

/** For a run whose `credential.rotated` entry was written: only the old key was left to remove. */
export function oldKeyRemovedEntry(cutover: {
  runId: string
  tenantName: string
  old: Credential
  next: Credential
}): AuditInput {
  const { runId, tenantName, old, next } = cutover
  return {
    kind: 'rotation.recovered',
    tenantId: next.tenantId,
    credentialId: old.id,
    summary: `The old key of "${old.name}" (${tenantName}) was removed from the keychain; "${next.name}" had already replaced it.`,
    details: { runId, action: 'old_key_removed', retiredCredentialId: old.id },
  }
}

export function rolledBackByRecoveryEntry(
  journal: RotationJournal,
  tenantName: string,
): AuditInput {
  return {
    kind: 'rotation.recovered',
    tenantId: journal.tenantId,
    credentialId: journal.oldCredentialId,
    summary:
      `Undid an interrupted credential change of "${tenantName}" ` +
      `(stopped at: ${STEP_LABELS[journal.step].toLowerCase()}); its credential did not change.`,
    details: {
      runId: journal.runId,
      action: 'rolled_back',
      interruptedAt: journal.step,
      fromCredentialId: journal.oldCredentialId,
      discardedCredentialId: journal.newCredentialId,
    },
  }
}

/** A run recovery left as it is; written once per start, not before every rotation. */
export function deferredEntry(deferred: {
  runId: string
  journal: RotationJournal | null
  tenantName: string | undefined
  reason: string
}): AuditInput {
  const { runId, journal, tenantName, reason } = deferred
  const of = tenantName === undefined ? '' : ` of "${tenantName}"`
  const why = /[.!?]$/.test(reason) ? reason : `${reason}.`
  return {
    kind: 'rotation.recovered',
    tenantId: journal?.tenantId,
    credentialId: journal?.oldCredentialId,
    summary:
      `An unfinished credential change${of} was left as it is for now: ${why} ` +
      "It is tried again at the next start and before the tenant's credential is next changed.",
    details: { runId, action: 'deferred', reason },
  }
}

export function failedEntry(failure: {
  runId: string
  tenantId: string | undefined
  credentialId: string
  step: RotationStep
  code: string
  reason: string
  cleanupDeferred: boolean
}): AuditInput {
  return {
    kind: 'rotation.failed',
    tenantId: failure.tenantId,
    credentialId: failure.credentialId,
    summary: `Credential change failed at "${STEP_LABELS[failure.step]}"; nothing was changed.`,
    details: {
      runId: failure.runId,
      step: failure.step,
      code: failure.code,
      reason: failure.reason,
      cleanupDeferred: failure.cleanupDeferred,
    },
  }
}
