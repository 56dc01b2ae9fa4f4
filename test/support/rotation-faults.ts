// Real stores with one fault switched on: they pass every call to the real keychain or state file
// except the one a test arms to fail, which throws the error the real store would throw.
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

export class FaultyStateStore implements StateStore {
  #updates = 0
  #failAt: number | undefined

  constructor(private readonly real: StateStore) {}

  get path(): string {
    return this.real.path
  }

  /** The `nth` update from now (1 = the next one) fails without writing anything. */
  failUpdate(nth: number): void {
    this.#updates = 0
    this.#failAt = nth
  }

  read(): AppState {
    return this.real.read()
  }

  async update<T>(change: (state: AppState) => T): Promise<T> {
    this.#updates += 1
    if (this.#updates === this.#failAt) {
      this.#failAt = undefined
      throw new StateFileError('The credential list could not be saved (disk full).')
    }
    return this.real.update(change)
  }
}
