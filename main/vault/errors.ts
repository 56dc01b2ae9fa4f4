// The errors the vault raises. Each carries an ErrorCode from the IPC contract and a message a
// helpdesk person can read out to a user; none ever holds key bytes, passphrases or tokens.
import type { ErrorCode } from '../../preload/contract'

export class VaultError extends Error {
  override name = 'VaultError'

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

export type KeyErrorCode = 'key_invalid' | 'passphrase_required' | 'wrong_passphrase'

/** The private key the user gave cannot be used, and why. */
export class KeyError extends VaultError {
  override name = 'KeyError'
  declare readonly code: KeyErrorCode

  constructor(code: KeyErrorCode, message: string) {
    super(code, message)
  }
}

/** The OS keychain refused or could not be reached; nothing was saved in or read from it. */
export class KeychainUnavailableError extends VaultError {
  override name = 'KeychainUnavailableError'
  declare readonly code: 'keychain_unavailable'

  constructor(options?: ErrorOptions) {
    super(
      'keychain_unavailable',
      'The system keychain is not available (locked or no Secret Service running). Nothing was changed. ' +
        'Unlock your keychain, or on Linux install and start gnome-keyring, then try again.',
      options,
    )
  }
}

/**
 * The keychain answers but refuses to store: it is locked. A locked keychain also answers reads
 * with "no such item", so this is what a missing key turns out to be when it is only locked.
 */
export class KeychainLockedError extends KeychainUnavailableError {
  override name = 'KeychainLockedError'

  constructor(options?: ErrorOptions) {
    super(options)
    this.message =
      'The system keychain is locked. Nothing was changed. Unlock it (on Linux, the login keyring), then try again.'
  }
}
