// Private keys live in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret
// Service on Linux), one item per credential with the credential id as the account. There is no
// fallback: if the keychain cannot be used, nothing is stored anywhere.
import { KEYCHAIN_SERVICE } from '../paths'
import { KeychainUnavailableError } from './errors'

export { KeychainUnavailableError } from './errors'

export interface SecretStore {
  set(account: string, secret: string): Promise<void>
  /** null when there is no item for this account. */
  get(account: string): Promise<string | null>
  /** false when there was no item to delete. */
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

export class KeychainSecretStore implements SecretStore {
  constructor(readonly service: string = KEYCHAIN_SERVICE) {}

  set(account: string, secret: string): Promise<void> {
    return keychain((keytar) => keytar.setPassword(this.service, account, secret))
  }

  get(account: string): Promise<string | null> {
    return keychain((keytar) => keytar.getPassword(this.service, account))
  }

  delete(account: string): Promise<boolean> {
    return keychain((keytar) => keytar.deletePassword(this.service, account))
  }

  async accounts(): Promise<string[]> {
    const items = await keychain((keytar) => keytar.findCredentials(this.service))
    return items.map((item) => item.account)
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
