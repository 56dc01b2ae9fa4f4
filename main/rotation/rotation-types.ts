// What the rotation engine is built from and what a caller hands it for one run.
import type { RotationProgress, RotationStep, Scope, TenantDataSnapshot } from '../../preload/model'
import type { AuditLog } from '../audit/audit-log'
import type { ParsedPrivateKey } from '../vault/private-key'
import type { SecretStore } from '../vault/secret-store'
import type { StateStore } from '../vault/state-store'

/** Proves a new credential works before the tenant is switched to it; rejects with an AuthError. */
export interface CutoverConfirmer {
  confirm(input: {
    clientId: string
    keyId: string
    scope: Scope
    privateKeyPem: string
    signal?: AbortSignal
  }): Promise<void>
}

/**
 * Seams for tests that crash or fault a run at a step boundary. `beforeStep` runs before the step
 * is journaled, `afterStep` once the step has acted.
 */
export interface RotationHooks {
  beforeStep?(step: RotationStep, runId: string): void | Promise<void>
  afterStep?(step: RotationStep, runId: string): void | Promise<void>
}

export interface RotationEngineDeps {
  state: StateStore
  secrets: SecretStore
  audit: Pick<AuditLog, 'append'>
  /**
   * Row counts and content hash of the tenant's data, taken before staging and after the cutover.
   * It reads every row (about a second per snapshot at 100,000 devices), so it may run elsewhere
   * (a worker thread) and answer a promise.
   */
  tenantSnapshot(tenantId: string): TenantDataSnapshot | Promise<TenantDataSnapshot>
  confirmer: CutoverConfirmer
  /**
   * Holds whatever else writes the tenant's data (its sync) for the length of a run, so the
   * before/after snapshots see only the rotation; the answer lets it go on.
   */
  holdTenant?(tenantId: string): Promise<() => void>
  now?: () => Date
  hooks?: RotationHooks
}

export interface RotationInput {
  runId: string
  credentialId: string
  name: string
  clientId: string
  keyId: string
  key: ParsedPrivateKey
  /** The user checked the key themselves ("I have checked this key"); no token exchange is made. */
  confirmOffline?: boolean
  /** Set when an MDM-managed entry replaces the credential. */
  origin?: { managedId: string; managedRevision: number }
  onProgress?(progress: RotationProgress): void
  signal?: AbortSignal
}
