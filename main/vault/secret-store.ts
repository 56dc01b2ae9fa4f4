// Private keys live in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret
// Service on Linux), one item per credential with the credential id as the account. There is no
// fallback: if the keychain cannot be used, nothing is stored anywhere.
import { KEYCHAIN_SERVICE } from '../paths'
import { KeychainLockedError, KeychainUnavailableError } from './errors'

export { KeychainLockedError, KeychainUnavailableError } from './errors'

export interface SecretStore {
  set(account: string, secret: string): Promise<void>
  /** null when there is no item for this account; a locked keychain throws, it never says null. */
  get(account: string): Promise<string | null>
  /** false when there was no item to delete; a locked keychain throws. */
  delete(account: string): Promise<boolean>
  accounts(): Promise<string[]>
}

type Keytar = typeof import('keytar')

/**
 * keytar is a native module linked against the platform's keychain library (libsecret on Linux).
 * It is loaded on first use, so a machine without that library still starts and every keychain
 * step says the keychain is unavailable instead of the process dying at import.
 */
let keytarModule: Promise<Keytar> | undefined
const loadKeytar = (): Promise<Keytar> =>
  (keytarModule ??= import('keytar').then((module) => module.default))

/**
 * The account of a throwaway item written to learn whether the keychain is unlocked. Not a UUID, so
 * it never names a credential; never listed among the accounts.
 */
const PROBE_ACCOUNT = 'keychain-unlocked-check'

export class KeychainSecretStore implements SecretStore {
  constructor(readonly service: string = KEYCHAIN_SERVICE) {}

  set(account: string, secret: string): Promise<void> {
    return keychain((keytar) => keytar.setPassword(this.service, account, secret))
  }

  async get(account: string): Promise<string | null> {
    const secret = await keychain((keytar) => keytar.getPassword(this.service, account))
    if (secret === null) await this.#assertUnlocked()
    return secret
  }

  async delete(account: string): Promise<boolean> {
    const deleted = await keychain((keytar) => keytar.deletePassword(this.service, account))
    // Only an unlocked keychain's "no such item" means the item is gone.
    if (!deleted) await this.#assertUnlocked()
    return deleted
  }

  async accounts(): Promise<string[]> {
    // keytar's search crashes the process on the locked items of a Secret Service collection.
    await this.#assertUnlocked()
    const items = await keychain((keytar) => keytar.findCredentials(this.service))
    return items.map((item) => item.account).filter((account) => account !== PROBE_ACCOUNT)
  }

  /**
   * A locked keychain answers a read with "no such item" and a delete with "nothing deleted", just
   * as an unlocked one without the item does; only a write is refused. So a throwaway item is
   * written and deleted again: refused, the keychain is locked.
   */
  async #assertUnlocked(): Promise<void> {
    const keytar = await keychain(loadKeytar)
    try {
      await keytar.setPassword(this.service, PROBE_ACCOUNT, 'unlocked')
    } catch (error) {
      throw new KeychainLockedError({ cause: error })
    }
    await keychain(() => keytar.deletePassword(this.service, PROBE_ACCOUNT))
  }
}

/**
 * Runs one keychain call and turns any failure, loading keytar included, into
 * KeychainUnavailableError. The original error is kept as `cause` for diagnosis: keytar's errors
 * come from the OS (D-Bus, Security framework, Win32, the dynamic linker) and describe the
 * keychain, never the secret passed in.
 */
async function keychain<T>(call: (keytar: Keytar) => Promise<T>): Promise<T> {
  try {
    return await call(await loadKeytar())
  } catch (error) {
    throw new KeychainUnavailableError({ cause: error })
  }
}
