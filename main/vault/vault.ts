// The credential service: credential and tenant records in the state file, private keys in the
// keychain, an audit entry for each change. Every change either happens completely or leaves
// everything as it was: the keychain is written before a record points at it, and a keychain item
// is deleted only after the record that pointed at it is gone. An intent in the state file covers
// each keychain change until the records match it, so a crash in between leaves nothing behind
// that recovery cannot find (vault-intents.ts).
import { randomUUID } from 'node:crypto'
import {
  connectionCheckSchema,
  type ConnectionCheck,
  type Credential,
  type CredentialOrigin,
  type Scope,
  type Tenant,
} from '../../preload/model'
import type { AuditLog, NewAuditEntry } from '../audit/audit-log'
import { oldestFirst } from './credential-order'
import { assertNoConflict, parseName, validateCredentialFields } from './credential-rules'
import { KeychainUnavailableError, VaultError } from './errors'
import type { ParsedPrivateKey } from './private-key'
import type { SecretStore } from './secret-store'
import type { AppState, StateStore } from './state-store'
import {
  credentialRemovedEntry,
  finishRemoval,
  noteRemoval,
  recoverTenantRemovals,
  releaseRemoval,
  type TenantRemovalNote,
  type TenantRemovalNotes,
  type TenantRemovalRecovery,
} from './tenant-removal'
import { dropIntents, IntentClaim, recoverIntents, type IntentRecovery } from './vault-intents'

export { VaultError } from './errors'
export type { TenantRemovalRecovery } from './tenant-removal'
export type { IntentRecovery } from './vault-intents'

/**
 * Creates and deletes a tenant's own data (its SQLite database), and keeps the notes of deletions
 * in progress (tenant-removal.ts); owned by main/tenants.
 */
export interface TenantDataHooks extends TenantRemovalNotes {
  create(tenantId: string): void
  /** Where the tenant's data lives, to name it when it cannot be deleted. */
  path(tenantId: string): string
}

export interface VaultDeps {
  state: StateStore
  secrets: SecretStore
  audit: AuditLog
  tenantData: TenantDataHooks
  now?: () => Date
}

export interface NewCredential {
  name: string
  clientId: string
  keyId: string
  scope?: Scope
  /** Re-attach to a tenant whose data was kept after its last credential was removed. */
  tenantId?: string
  key: ParsedPrivateKey
  origin?: CredentialOrigin
  managedId?: string
  managedRevision?: number
}

export interface RemoveOptions {
  /** Required when the credential is its tenant's last one. */
  tenantData?: 'keep' | 'delete'
  /** The tenant's name, typed by the user, to delete its data. */
  confirmName?: string
}

export interface RemoveResult {
  tenantRemoved: boolean
  dataDeleted: boolean
}

/** What removing a credential does, decided from the state before anything changes. */
interface Removal {
  credential: Credential
  tenant?: Tenant
  tenantData: 'untouched' | 'keep' | 'delete'
  /** This credential, plus the tenant's retired ones when the tenant goes. */
  credentialIds: string[]
}

export class Vault {
  readonly #state: StateStore
  readonly #secrets: SecretStore
  readonly #audit: AuditLog
  readonly #tenantData: TenantDataHooks
  readonly #now: () => Date

  constructor(deps: VaultDeps) {
    this.#state = deps.state
    this.#secrets = deps.secrets
    this.#audit = deps.audit
    this.#tenantData = deps.tenantData
    this.#now = deps.now ?? (() => new Date())
  }

  /** Oldest first. */
  list(): Credential[] {
    return oldestFirst(this.#state.read().credentials)
  }

  tenants(): Tenant[] {
    return byName(this.#state.read())
  }

  tenant(tenantId: string): Tenant {
    return tenantIn(this.#state.read(), tenantId)
  }

  /** The tenant the app opens on: the one the admin last opened, while it exists, else the first. */
  openingTenant(): Tenant | undefined {
    const state = this.#state.read()
    const { openedTenantId } = state
    const opened = openedTenantId === null ? undefined : ownValue(state.tenants, openedTenantId)
    return opened ?? byName(state)[0]
  }

  /** Remembers the tenant the admin opened in the app, so that the app opens on it next time. */
  async rememberOpenedTenant(tenantId: string): Promise<void> {
    await this.#state.update((state) => {
      state.openedTenantId = tenantIn(state, tenantId).id
    })
  }

  get(credentialId: string): Credential {
    return credentialIn(this.#state.read(), credentialId)
  }

  /** By id, else by name (a live credential wins over retired ones of the same name). */
  find(idOrName: string): Credential {
    const credentials = this.#state.read().credentials
    const byId = ownValue(credentials, idOrName)
    if (byId) return byId
    const named = Object.values(credentials).filter((c) => c.name === idOrName.trim())
    const live = named.filter((c) => c.status !== 'retired')
    const candidates = live.length > 0 ? live : named
    if (candidates.length === 1 && candidates[0]) return candidates[0]
    if (candidates.length === 0) {
      throw new VaultError('not_found', `No credential has the id or name "${idOrName}".`)
    }
    throw new VaultError(
      'invalid_input',
      `${candidates.length} credentials are named "${idOrName}"; give the credential's id instead.`,
    )
  }

  async add(input: NewCredential): Promise<Credential> {
    const fields = validateCredentialFields(input)
    const at = this.#now().toISOString()
    const credential: Credential = {
      id: randomUUID(),
      tenantId: input.tenantId ?? randomUUID(),
      ...fields,
      publicKeyFingerprint: input.key.publicKeyFingerprint,
      status: 'active',
      origin: input.origin ?? 'manual',
      ...(input.managedId === undefined ? {} : { managedId: input.managedId }),
      ...(input.managedRevision === undefined ? {} : { managedRevision: input.managedRevision }),
      createdAt: at,
      activatedAt: at,
    }
    const newTenant: Tenant | undefined = input.tenantId
      ? undefined
      : {
          id: credential.tenantId,
          name: credential.name,
          scope: credential.scope,
          activeCredentialId: credential.id,
          createdAt: at,
        }
    const admit = (state: AppState): Tenant => {
      assertNoConflict(state, credential)
      return newTenant ?? reattachableTenant(state, credential)
    }

    const claim = new IntentClaim(this.#now)
    let tenant: Tenant
    try {
      // Refused here, before the keychain is touched; the check is repeated with the record.
      await this.#state.update((state) => {
        admit(state)
        claim.put(state, 'add', [credential.id])
      })
      tenant = await this.#storeAndRecord(credential, input.key.pkcs8Pem, newTenant, admit)
    } finally {
      claim.release()
    }

    this.#auditCommitted({
      kind: 'credential.added',
      tenantId: tenant.id,
      credentialId: credential.id,
      summary: newTenant
        ? `Added credential "${credential.name}" (${credential.clientId}) as a new tenant`
        : `Added credential "${credential.name}" (${credential.clientId}) to tenant "${tenant.name}"`,
      details: {
        clientId: credential.clientId,
        keyId: credential.keyId,
        scope: credential.scope,
        publicKeyFingerprint: credential.publicKeyFingerprint,
        origin: credential.origin,
      },
    })
    return credential
  }

  async rename(credentialId: string, name: string): Promise<Credential> {
    const newName = parseName(name)
    const { before, after } = await this.#state.update((state) => {
      const credential = credentialIn(state, credentialId)
      if (credential.origin === 'managed') {
        throw new VaultError(
          'invalid_input',
          `"${credential.name}" is managed by your organization; its name is set by your administrator.`,
        )
      }
      const renamed = { ...credential, name: newName }
      state.credentials[credentialId] = renamed
      return { before: credential, after: renamed }
    })
    this.#auditCommitted({
      kind: 'credential.renamed',
      tenantId: after.tenantId,
      credentialId,
      summary: `Renamed credential "${before.name}" to "${after.name}"`,
      details: { from: before.name, to: after.name },
    })
    return after
  }

  /**
   * The tenant's own name: the organisation as the admin thinks of it. Its credentials keep theirs,
   * so renaming one never renames the other.
   */
  async renameTenant(tenantId: string, name: string): Promise<Tenant> {
    const newName = parseName(name)
    const { before, after } = await this.#state.update((state) => {
      const tenant = tenantIn(state, tenantId)
      const renamed = { ...tenant, name: newName }
      state.tenants[tenant.id] = renamed
      return { before: tenant, after: renamed }
    })
    this.#auditCommitted({
      kind: 'tenant.renamed',
      tenantId: after.id,
      summary: `Renamed tenant "${before.name}" to "${after.name}"`,
      details: { from: before.name, to: after.name },
    })
    return after
  }

  /**
   * Records that the admin revoked a replaced credential's key in Apple Business Manager or Apple
   * School Manager: the last step of a change, which only the admin can take (at Apple). Only a
   * retired credential's key can be marked; the live one is still in use.
   */
  markKeyRevoked(credentialId: string): void {
    const credential = this.get(credentialId)
    if (credential.status !== 'retired') {
      throw new VaultError(
        'invalid_input',
        `"${credential.name}" is still in use; only the key of a replaced credential can be marked as revoked.`,
      )
    }
    // The entry is the whole change here, so a failing write is reported, not swallowed.
    this.#audit.append({
      kind: 'key.revoked',
      tenantId: credential.tenantId,
      credentialId,
      summary: `Marked the old key of "${credential.name}" (${credential.keyId}) as revoked at Apple`,
      details: { clientId: credential.clientId, keyId: credential.keyId },
    })
  }

  async remove(credentialId: string, options: RemoveOptions = {}): Promise<RemoveResult> {
    // Refuse early and make sure the keychain answers, so nothing changes when it would fail.
    const early = planRemoval(this.#state.read(), credentialId, options)
    await this.#secrets.get(credentialId)

    // A tenant's data to delete is noted before its records go, so that recovery finishes it.
    const note = early.tenantData === 'delete' ? this.#removalNote(early) : undefined
    if (note) noteRemoval(this.#tenantData, note)
    const claim = new IntentClaim(this.#now)
    let deletesData = false
    try {
      const removal = await this.#state.update((state) => {
        const plan = planRemoval(state, credentialId, options)
        applyRemoval(state, plan)
        claim.put(state, 'remove', plan.credentialIds)
        return plan
      })
      deletesData = note !== undefined && removal.tenantData === 'delete'
      this.#auditRemoval(removal)
      for (const id of removal.credentialIds)
        await this.#deleteSecretOfRemoved(removal.credential, id)
      await this.#clearIntents(removal.credentialIds)
      if (note && deletesData) this.#removeTenantData(note)
      return { tenantRemoved: deletesData, dataDeleted: deletesData }
    } finally {
      claim.release()
      // A removal that changed its mind in the locked write, or failed before it, deletes nothing.
      if (note && !deletesData) this.#tenantData.dropRemovalNote(note.tenantId)
      if (note) releaseRemoval(note.tenantId)
    }
  }

  /**
   * Deletes the keychain items of adds and removes that a crash or a kill left unfinished, unless
   * the process that began them is still running. Call at start-up, and in the CLI before an add
   * or remove; an unavailable keychain leaves them for the next call.
   */
  async recover(): Promise<Array<IntentRecovery | TenantRemovalRecovery>> {
    const intents = await recoverIntents({
      state: this.#state,
      secrets: this.#secrets,
      now: this.#now,
    })
    return [...intents, ...recoverTenantRemovals(this.#removalDeps())]
  }

  /** The credential's private key as PKCS#8 PEM, for signing. */
  async secretPem(credentialId: string): Promise<string> {
    const credential = this.get(credentialId)
    if (credential.status === 'retired') {
      throw new VaultError(
        'not_found',
        `"${credential.name}" was replaced; its private key was deleted when it was retired.`,
      )
    }
    const pem = await this.#secrets.get(credentialId)
    if (pem === null) {
      throw new VaultError(
        'not_found',
        `The private key of "${credential.name}" is missing from the system keychain. Remove the credential and add it again with its key file.`,
      )
    }
    return pem
  }

  async recordCheck(credentialId: string, check: ConnectionCheck): Promise<Credential> {
    const lastCheck = connectionCheckSchema.parse(check)
    const checked = await this.#state.update((state) => {
      const updated = { ...credentialIn(state, credentialId), lastCheck }
      state.credentials[credentialId] = updated
      return updated
    })
    this.#auditCommitted({
      kind: lastCheck.ok ? 'check.passed' : 'check.failed',
      tenantId: checked.tenantId,
      credentialId,
      summary: lastCheck.ok
        ? `Connection check of "${checked.name}" passed`
        : `Connection check of "${checked.name}" failed: ${lastCheck.message}`,
    })
    return checked
  }

  /** Writes the record; a new tenant's data is created first and removed again if the write fails. */
  async #recordWithTenantData<T>(
    newTenant: Tenant | undefined,
    change: (state: AppState) => T,
  ): Promise<T> {
    if (!newTenant) return this.#state.update(change)
    this.#tenantData.create(newTenant.id)
    try {
      return await this.#state.update(change)
    } catch (error) {
      this.#tenantData.remove(newTenant.id)
      throw error
    }
  }

  /** Writes the key, then the record that points at it and ends the add's intent in one write. */
  async #storeAndRecord(
    credential: Credential,
    pkcs8Pem: string,
    newTenant: Tenant | undefined,
    admit: (state: AppState) => Tenant,
  ): Promise<Tenant> {
    try {
      await this.#secrets.set(credential.id, pkcs8Pem)
    } catch (error) {
      // A refused write stored nothing: there is no item to undo, and the intent goes with it.
      await this.#clearIntents([credential.id])
      throw error
    }
    try {
      return await this.#recordWithTenantData(newTenant, (state) => {
        const attached = admit(state)
        state.tenants[attached.id] = { ...attached, activeCredentialId: credential.id }
        state.credentials[credential.id] = credential
        dropIntents(state, [credential.id])
        return attached
      })
    } catch (error) {
      await this.#undoKeychainWrite(credential.id)
      throw error
    }
  }

  /**
   * Undoes a keychain write whose record was never made; the original failure is what matters.
   * While the item cannot be deleted its intent stays, for recovery to delete it later.
   */
  async #undoKeychainWrite(credentialId: string): Promise<void> {
    try {
      await this.#secrets.delete(credentialId)
    } catch (error) {
      console.warn(
        `The keychain item of credential ${credentialId}, which was not added, could not be deleted yet; it is deleted at the next start:`,
        error instanceof Error ? error.message : error,
      )
      return
    }
    await this.#clearIntents([credentialId])
  }

  /** Ends intents whose keychain change is done; one left behind only makes recovery repeat it. */
  async #clearIntents(credentialIds: string[]): Promise<void> {
    try {
      await this.#state.update((state) => dropIntents(state, credentialIds))
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error
      console.warn(`A finished keychain change could not be marked as done (${name}).`)
    }
  }

  async #deleteSecretOfRemoved(credential: Credential, credentialId: string): Promise<void> {
    try {
      await this.#secrets.delete(credentialId)
    } catch (error) {
      if (!(error instanceof KeychainUnavailableError)) throw error
      throw new VaultError(
        'keychain_unavailable',
        `"${credential.name}" was removed, but the system keychain stopped answering before its private key was deleted. ` +
          `Unlock your keychain: the key is deleted the next time AxM Credential Manager starts, or the next time a credential is added or removed.`,
        { cause: error },
      )
    }
  }

  #removalNote({ credential, tenant, credentialIds }: Removal): TenantRemovalNote | undefined {
    if (!tenant) return undefined
    const { id, name, clientId, status } = credential
    return {
      tenantId: tenant.id,
      tenantName: tenant.name,
      credentialsRemoved: credentialIds.length,
      credential: { id, name, clientId, status },
      ownerPid: process.pid,
      updatedAt: this.#now().toISOString(),
    }
  }

  #removalDeps() {
    return { state: this.#state, audit: this.#audit, tenantData: this.#tenantData, now: this.#now }
  }

  /**
   * Deletes a removed tenant's data file and audits it; the records and keys are already gone by
   * then. What fails here is finished by the next start, as the note stays.
   */
  #removeTenantData(note: TenantRemovalNote): void {
    try {
      finishRemoval(this.#removalDeps(), note)
    } catch (error) {
      // No ErrorCode says "done, but with a leftover"; retrying cannot help, as the tenant is gone.
      throw new VaultError(
        'internal',
        `The credential and the tenant "${note.tenantName}" were removed, but its device data file could not be deleted yet ` +
          `(another program may have it open). It is deleted the next time AxM Credential Manager starts; if it stays, delete ${this.#tenantData.path(note.tenantId)} by hand.`,
        { cause: error },
      )
    }
  }

  /**
   * Records a change that is already committed. A failing audit write must not report the change
   * as failed, so it is logged instead: by the error's name only, as a message may quote the entry.
   */
  #auditCommitted(entry: NewAuditEntry): void {
    try {
      this.#audit.append(entry)
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error
      console.error(`The audit entry ${entry.kind} could not be written (${name}).`)
    }
  }

  /** The tenant's removal is audited once its data is gone (tenant-removal.ts). */
  #auditRemoval({ credential, tenantData }: Removal): void {
    this.#auditCommitted(credentialRemovedEntry(credential, tenantData))
  }
}

/**
 * The record under an id that came from outside. A plain `record[id]` would answer `toString` or
 * `__proto__` with JavaScript's own properties.
 */
function byName(state: AppState): Tenant[] {
  return Object.values(state.tenants).sort((a, b) => a.name.localeCompare(b.name))
}

function ownValue<T>(record: Record<string, T>, id: string): T | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined
}

function credentialIn(state: AppState, credentialId: string): Credential {
  const credential = ownValue(state.credentials, credentialId)
  if (!credential) throw new VaultError('not_found', `No credential has the id ${credentialId}.`)
  return credential
}

function tenantIn(state: AppState, tenantId: string): Tenant {
  const tenant = ownValue(state.tenants, tenantId)
  if (!tenant) throw new VaultError('not_found', `No tenant has the id ${tenantId}.`)
  return tenant
}

/** The tenant a new credential re-attaches to: one whose data was kept and that has no credential. */
function reattachableTenant(state: AppState, credential: Credential): Tenant {
  const tenant = tenantIn(state, credential.tenantId)
  if (tenant.activeCredentialId !== null) {
    throw new VaultError(
      'invalid_input',
      `The tenant "${tenant.name}" already has a credential; use Change Credential to replace it.`,
    )
  }
  if (tenant.scope !== credential.scope) {
    throw new VaultError(
      'invalid_input',
      `The tenant "${tenant.name}" is a ${tenant.scope} tenant, but this Client ID is for ${credential.scope}.`,
    )
  }
  return tenant
}

function planRemoval(state: AppState, credentialId: string, options: RemoveOptions): Removal {
  const credential = credentialIn(state, credentialId)
  if (credential.status === 'pending') {
    throw new VaultError(
      'busy',
      `"${credential.name}" is being set up by Change Credential; finish or cancel that first.`,
    )
  }
  const tenant = ownValue(state.tenants, credential.tenantId)
  if (!tenant || tenant.activeCredentialId !== credentialId) {
    return { credential, tenantData: 'untouched', credentialIds: [credentialId] }
  }
  if (options.tenantData === undefined) {
    throw new VaultError(
      'tenant_data_decision_required',
      `"${credential.name}" is the last credential of "${tenant.name}". Choose whether to keep the tenant's data (devices and coverage) for a credential you add later, or to delete it.`,
    )
  }
  if (options.tenantData === 'keep') {
    return { credential, tenant, tenantData: 'keep', credentialIds: [credentialId] }
  }
  if (options.confirmName !== tenant.name) {
    throw new VaultError(
      'confirmation_mismatch',
      `To delete the data of "${tenant.name}", type its name exactly as shown. Nothing was removed.`,
    )
  }
  const ofTenant = Object.values(state.credentials).filter((c) => c.tenantId === tenant.id)
  if (ofTenant.some((c) => c.status === 'pending')) {
    throw new VaultError(
      'busy',
      `"${tenant.name}" is in the middle of Change Credential; finish or cancel that first.`,
    )
  }
  return { credential, tenant, tenantData: 'delete', credentialIds: ofTenant.map((c) => c.id) }
}

function applyRemoval(state: AppState, { tenant, tenantData, credentialIds }: Removal): void {
  for (const id of credentialIds) delete state.credentials[id]
  if (!tenant) return
  if (tenantData === 'keep') state.tenants[tenant.id] = { ...tenant, activeCredentialId: null }
  if (tenantData === 'delete') delete state.tenants[tenant.id]
}
