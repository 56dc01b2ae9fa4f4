// Private keys live in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret
// Service on Linux), one item per credential with the credential id as the account. There is no
// fallback: if the keychain cannot be used, nothing is stored anywhere.
import keytar from 'keytar'
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

export class KeychainSecretStore implements SecretStore {
  constructor(readonly service: string = KEYCHAIN_SERVICE) {}

  set(account: string, secret: string): Promise<void> {
    return keychain(() => keytar.setPassword(this.service, account, secret))
  }

  get(account: string): Promise<string | null> {
    return keychain(() => keytar.getPassword(this.service, account))
  }

  delete(account: string): Promise<boolean> {
    return keychain(() => keytar.deletePassword(this.service, account))
  }

  async accounts(): Promise<string[]> {
    const items = await keychain(() => keytar.findCredentials(this.service))
    return items.map((item) => item.account)
  }
}

/**
 * Runs one keychain call and turns any failure into KeychainUnavailableError. The original error
 * is kept as `cause` for diagnosis: keytar's errors come from the OS (D-Bus, Security framework,
 * Win32) and describe the keychain, never the secret passed in.
 */
async function keychain<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw new KeychainUnavailableError({ cause: error })
  }
}
