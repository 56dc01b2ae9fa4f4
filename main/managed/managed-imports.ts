// The managed-credentials service: what the MDM offers, what waits for the admin, and importing an
// entry once the admin typed its passphrase, as a new credential or as a rotation of an existing one.
// The ledger (id → imported revision) and the dismissals live in the shared state file, so each
// id + revision imports once whether the app or the CLI imports it. Nothing is imported or rotated
// unless importEntry is called.
import type {
  AuditEntry,
  Credential,
  ManagedEntryView,
  ManagedProblem,
  ManagedState,
  RotationOutcome,
  RotationProgress,
  Scope,
} from '../../preload/model'
import type { ParsedPrivateKey } from '../vault/private-key'
import type { AppState, StateStore } from '../vault/state-store'
import type { KeyParser } from '../vault/parse-in-worker'
import { decryptEntry } from './decrypt'
import { ManagedImportError } from './errors'
import { parseManagedPayload, type ManagedEntry } from './payload'
import { NO_SOURCE_LOCATION, readFirstPresent, type ManagedSource } from './sources'
import type { RotationInput } from '../rotation/rotation-types'

/** What ManagedImports needs of the vault. */
export interface CredentialAdder {
  add(input: {
    name: string
    clientId: string
    keyId: string
    scope?: Scope
    key: ParsedPrivateKey
    origin: 'managed'
    managedId: string
    managedRevision: number
  }): Promise<Credential>
  list(): Credential[]
}

/** What ManagedImports needs of the rotation engine. */
export interface CredentialRotator {
  rotate(input: RotationInput): Promise<RotationOutcome>
}

export interface AuditAppender {
  append(entry: Omit<AuditEntry, 'id' | 'at'>): unknown
}

export interface ManagedImportsDeps {
  state: StateStore
  /** Most specific first; the first present one is used (see sources.ts). */
  sources: ManagedSource[]
  vault: CredentialAdder
  rotation: CredentialRotator
  audit: AuditAppender
  /** Decrypts an entry's key with the admin's passphrase; in this thread by default. */
  parseKey?: KeyParser
  /**
   * Whether credentials whose entry left the sources may become user-owned at all. True for the
   * platform's sources; false for a one-off payload file (`payload import`) or an admin's trial
   * file (AXM_MANAGED_PREFS), which hold only some entries.
   */
  releaseDeparted?: boolean
  now?: () => Date
}

export interface ImportRequest {
  entryId: string
  /** The revision the admin reviewed: a newer one arriving meanwhile is not imported blindly. */
  revision: number
  passphrase: string
  /** Rotate this credential to the entry's key instead of adding a new credential. */
  replaceCredentialId?: string
  runId: string
  confirmOffline?: boolean
  onProgress?: (progress: RotationProgress) => void
  signal?: AbortSignal
}

export interface ImportResult {
  credential: Credential
  rotation?: RotationOutcome
}

export type EntryStatus = 'pending' | 'imported' | 'dismissed'

/** Everything the source holds and what became of it, for `managed status`. */
export interface ManagedOverview {
  source: ManagedState['source']
  entries: (ManagedEntryView & { status: EntryStatus })[]
  problems: ManagedProblem[]
  ledger: AppState['managed']['ledger']
  dismissed: AppState['managed']['dismissed']
}

interface Snapshot {
  state: ManagedState
  entries: ManagedEntry[]
}

export class ManagedImports {
  readonly #deps: ManagedImportsDeps
  readonly #now: () => Date
  readonly #importing = new Set<string>()
  #snapshot: Snapshot

  constructor(deps: ManagedImportsDeps) {
    this.#deps = deps
    this.#now = deps.now ?? (() => new Date())
    const location = deps.sources[0]?.location ?? NO_SOURCE_LOCATION
    this.#snapshot = {
      state: { source: { location, present: false }, pending: [], problems: [] },
      entries: [],
    }
  }

  /** The state computed by the last refresh. */
  current(): ManagedState {
    return this.#snapshot.state
  }

  /**
   * Reads the source again and works out what waits for the admin. With `releaseDeparted` (the app
   * asks for it once, at launch), credentials whose entry left the source become user-owned, in one
   * state write. Never while watching: an MDM reinstalling a profile removes the file for a moment.
   */
  async refresh(options: { releaseDeparted?: boolean } = {}): Promise<ManagedState> {
    const { location, result } = await readFirstPresent(this.#deps.sources)
    const source = { location, present: result.present }
    const { entries, problems } =
      'payload' in result
        ? parseManagedPayload(result.payload)
        : {
            entries: [],
            problems: 'error' in result ? [{ index: null, message: result.error }] : [],
          }
    // Only a source read in full says which entries are gone: an unreadable file or a payload
    // without its array must not release every managed credential.
    if (
      options.releaseDeparted &&
      this.#deps.releaseDeparted !== false &&
      !problems.some((problem) => problem.index === null)
    ) {
      const ids = new Set([
        ...entries.map((entry) => entry.id),
        ...problems.flatMap((p) => p.entryId ?? []),
      ])
      await this.#releaseDeparted(ids)
    }
    const state = this.#deps.state.read()
    const credentials = this.#deps.vault.list()
    const pending = entries
      .filter((entry) => statusOf(entry, state) === 'pending')
      .map((entry) => viewOf(entry, credentials))
    this.#snapshot = { state: { source, pending, problems }, entries }
    return this.#snapshot.state
  }

  /** Calls `onChange` whenever a change of the source changes the managed state. */
  watch(onChange: (state: ManagedState) => void): () => void {
    let last = JSON.stringify(this.current())
    const emit = (state: ManagedState) => {
      const serialized = JSON.stringify(state)
      if (serialized === last) return
      last = serialized
      onChange(state)
    }
    const check = () => {
      this.refresh().then(emit, (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error)
        const current = this.current()
        emit({
          ...current,
          problems: [
            ...current.problems,
            { index: null, message: `The managed credentials could not be checked: ${reason}` },
          ],
        })
      })
    }
    const stops = this.#deps.sources.map((source) => source.watch(check))
    return () => stops.forEach((stop) => stop())
  }

  async importEntry(request: ImportRequest): Promise<ImportResult> {
    if (this.#importing.has(request.entryId)) {
      throw new ManagedImportError('busy', 'This managed credential is already being imported.')
    }
    this.#importing.add(request.entryId)
    try {
      const entry = await this.#pendingEntry(request.entryId, request.revision)
      // Decrypting first means a wrong passphrase or a mismatched key changes nothing at all.
      const key = await decryptEntry(entry, request.passphrase, this.#deps.parseKey)
      const result = request.replaceCredentialId
        ? await this.#replace(entry, key, request, request.replaceCredentialId)
        : { credential: await this.#addNew(entry, key) }
      await this.#record(entry, result)
      await this.refresh()
      return result
    } finally {
      this.#importing.delete(request.entryId)
    }
  }

  /** Hides an entry until its revision changes. */
  async dismiss(entryId: string, revision: number): Promise<void> {
    await this.refresh()
    const entry = this.#entryAt(entryId, revision)
    await this.#deps.state.update((state) => {
      state.managed.dismissed[entry.id] = revision
    })
    await this.refresh()
  }

  /** Undoes a dismissal of this revision; false if it was not dismissed (or a newer one was). */
  async restore(entryId: string, revision: number): Promise<boolean> {
    const restored = await this.#deps.state.update((state) => {
      if (!Object.hasOwn(state.managed.dismissed, entryId)) return false
      if (state.managed.dismissed[entryId] !== revision) return false
      delete state.managed.dismissed[entryId]
      return true
    })
    await this.refresh()
    return restored
  }

  /** Every entry in the source with what became of it, and the ledger. */
  async overview(): Promise<ManagedOverview> {
    const { source, problems } = await this.refresh()
    const state = this.#deps.state.read()
    const { managed } = state
    const credentials = this.#deps.vault.list()
    return {
      source,
      entries: this.#snapshot.entries.map((entry) => ({
        ...viewOf(entry, credentials),
        status: statusOf(entry, state),
      })),
      problems,
      ledger: managed.ledger,
      dismissed: managed.dismissed,
    }
  }

  async #pendingEntry(entryId: string, revision: number): Promise<ManagedEntry> {
    await this.refresh()
    const entry = this.#entryAt(entryId, revision)
    const status = statusOf(entry, this.#deps.state.read())
    if (status !== 'pending') {
      throw new ManagedImportError(
        'invalid_input',
        `Revision ${revision} of "${entry.name}" was already ${status}. Nothing was imported; ` +
          'the payload needs a higher revision to offer it again.',
      )
    }
    return entry
  }

  #entryAt(entryId: string, revision: number): ManagedEntry {
    const entry = this.#snapshot.entries.find((candidate) => candidate.id === entryId)
    if (!entry) {
      throw new ManagedImportError(
        'not_found',
        `The managed credential "${entryId}" is no longer offered by ${this.current().source.location}. Nothing was changed.`,
      )
    }
    if (entry.revision !== revision) {
      throw new ManagedImportError(
        'invalid_input',
        `The managed preferences now hold revision ${entry.revision} of "${entry.name}", not ${revision}. ` +
          'Nothing was changed; review the current revision and try again.',
      )
    }
    return entry
  }

  #addNew(entry: ManagedEntry, key: ParsedPrivateKey): Promise<Credential> {
    return this.#deps.vault.add({
      name: entry.name,
      clientId: entry.clientId,
      keyId: entry.keyId,
      scope: entry.scope,
      key,
      origin: 'managed',
      managedId: entry.id,
      managedRevision: entry.revision,
    })
  }

  async #replace(
    entry: ManagedEntry,
    key: ParsedPrivateKey,
    request: ImportRequest,
    credentialId: string,
  ): Promise<Required<ImportResult>> {
    const rotation = await this.#deps.rotation.rotate({
      runId: request.runId,
      credentialId,
      name: entry.name,
      clientId: entry.clientId,
      keyId: entry.keyId,
      key,
      confirmOffline: request.confirmOffline,
      origin: { managedId: entry.id, managedRevision: entry.revision },
      onProgress: request.onProgress,
      signal: request.signal,
    })
    const credential = this.#deps.vault.list().find((c) => c.id === rotation.newCredentialId)
    if (!credential) {
      throw new ManagedImportError(
        'internal',
        'The rotation finished but its new credential is missing.',
      )
    }
    return { credential, rotation }
  }

  async #record(entry: ManagedEntry, { credential, rotation }: ImportResult): Promise<void> {
    const importedAt = this.#now().toISOString()
    await this.#deps.state.update((state) => {
      state.managed.ledger[entry.id] = {
        revision: entry.revision,
        importedAt,
        credentialId: credential.id,
      }
    })
    this.#deps.audit.append({
      kind: 'managed.imported',
      tenantId: credential.tenantId,
      credentialId: credential.id,
      summary: rotation
        ? `Imported managed credential "${entry.name}" (revision ${entry.revision}), replacing ${rotation.oldCredentialId}`
        : `Imported managed credential "${entry.name}" (revision ${entry.revision}) as a new credential`,
      details: {
        managedId: entry.id,
        revision: entry.revision,
        mode: rotation ? 'replace' : 'new',
        publicKeyFingerprint: credential.publicKeyFingerprint,
      },
    })
  }

  async #releaseDeparted(idsInSource: ReadonlySet<string>): Promise<void> {
    const departed = (state: AppState) =>
      Object.values(state.credentials).filter(
        (credential) =>
          credential.origin === 'managed' &&
          !(credential.managedId !== undefined && idsInSource.has(credential.managedId)),
      )
    if (departed(this.#deps.state.read()).length === 0) return
    await this.#deps.state.update((state) => {
      for (const credential of departed(state)) {
        const released: Credential = { ...credential, origin: 'manual' }
        delete released.managedId
        delete released.managedRevision
        state.credentials[credential.id] = released
      }
    })
  }
}

/**
 * An entry waits while its revision is above the one imported (a lower one is an older key, not an
 * update) and was not dismissed at exactly this revision. The credential an import made carries the
 * id and revision too, so an import whose ledger write failed is still never offered twice.
 */
function statusOf(entry: ManagedEntry, state: AppState): EntryStatus {
  if (entry.revision <= importedRevision(entry.id, state)) return 'imported'
  if (state.managed.dismissed[entry.id] === entry.revision) return 'dismissed'
  return 'pending'
}

function importedRevision(managedId: string, state: AppState): number {
  const fromCredentials = Object.values(state.credentials)
    .filter((credential) => credential.managedId === managedId)
    .map((credential) => credential.managedRevision ?? 0)
  return Math.max(state.managed.ledger[managedId]?.revision ?? 0, ...fromCredentials)
}

function viewOf(entry: ManagedEntry, credentials: readonly Credential[]): ManagedEntryView {
  const replaceable = credentials.filter((credential) => credential.status !== 'retired')
  const suggested =
    replaceable.find((credential) => credential.managedId === entry.id) ??
    replaceable.find((credential) => credential.clientId === entry.clientId)
  return {
    id: entry.id,
    revision: entry.revision,
    name: entry.name,
    clientId: entry.clientId,
    keyId: entry.keyId,
    scope: entry.scope,
    keyFormat: entry.keyFormat,
    ...(entry.publicKeyFingerprint && { publicKeyFingerprint: entry.publicKeyFingerprint }),
    ...(suggested && { suggestedCredentialId: suggested.id }),
  }
}
