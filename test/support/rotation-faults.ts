// Real stores with one fault switched on: they pass every call to the real keychain or state file
// except the one a test arms to fail, which throws the error the real store would throw.
import { mkdirSync, renameSync, rmdirSync } from 'node:fs'
import type { AuditLog } from '../../main/audit/audit-log'
import { KeychainUnavailableError, type SecretStore } from '../../main/vault/secret-store'
import { StateFileError, type AppState, type StateStore } from '../../main/vault/state-store'

export class FaultySecretStore implements SecretStore {
  /** Make the next `set`, or deletes of these accounts, fail as a locked keychain does. */
  failSet = false
  readonly failDeleteOf = new Set<string>()

  constructor(private readonly real: SecretStore) {}

  async set(account: string, secret: string): Promise<void> {
    if (this.failSet) throw new KeychainUnavailableError()
    return this.real.set(account, secret)
  }

  get(account: string): Promise<string | null> {
    return this.real.get(account)
  }

  async delete(account: string): Promise<boolean> {
    if (this.failDeleteOf.has(account)) throw new KeychainUnavailableError()
    return this.real.delete(account)
  }

  accounts(): Promise<string[]> {
    return this.real.accounts()
  }
}

export interface UpdateFault {
  /** The write lands and only then fails, as a failed lock release does. */
  afterWriting?: boolean
  /** From the fault on, the state file cannot be read either, until `unreadable` is cleared. */
  thenUnreadable?: boolean
}

export class FaultyStateStore implements StateStore {
  /** While set, every read and update fails as an unreadable state file does. */
  unreadable = false
  #updates = 0
  #failAt: number | undefined
  #fault: UpdateFault = {}

  constructor(private readonly real: StateStore) {}

  get path(): string {
    return this.real.path
  }

  /** The `nth` update from now (1 = the next one) fails, by default without writing anything. */
  failUpdate(nth: number, fault: UpdateFault = {}): void {
    this.#updates = 0
    this.#failAt = nth
    this.#fault = fault
  }

  read(): AppState {
    if (this.unreadable) throw unreadableState()
    return this.real.read()
  }

  async update<T>(change: (state: AppState) => T): Promise<T> {
    if (this.unreadable) throw unreadableState()
    this.#updates += 1
    if (this.#updates !== this.#failAt) return this.real.update(change)
    this.#failAt = undefined
    if (this.#fault.afterWriting) await this.real.update(change)
    if (this.#fault.thenUnreadable) this.unreadable = true
    throw new StateFileError('The credential list could not be saved (disk full).')
  }
}

const unreadableState = () => new StateFileError('The credential list could not be read.')

/**
 * Makes the audit log unwritable the way a real fault does: a folder takes its file's place, so
 * every append fails in the file system. Returns the repair, which puts the file back.
 */
export function breakAuditLog(audit: Pick<AuditLog, 'path'>): () => void {
  const aside = `${audit.path}.aside`
  renameSync(audit.path, aside)
  mkdirSync(audit.path)
  return () => {
    rmdirSync(audit.path)
    renameSync(aside, audit.path)
  }
}
