// The errors managed imports and the payload tools raise. Each carries an ErrorCode from the IPC
// contract and a message a helpdesk person can read out; none ever holds key bytes or passphrases.
import type { ErrorCode } from '../../preload/contract'

export class ManagedImportError extends Error {
  override name = 'ManagedImportError'

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** A packager input (CSV row, key file, passphrase) that cannot go into a payload. */
export class PayloadBuildError extends Error {
  override name = 'PayloadBuildError'
  readonly code = 'invalid_input'

  constructor(
    message: string,
    /** Each problem with the CSV line it is on (1 is the header). */
    readonly problems: { line: number; message: string }[] = [],
  ) {
    super(message)
  }
}

/**
 * A managed-preferences file whose content cannot be read as a payload. The message completes a
 * sentence that starts with where the file is ("… is not a complete XML plist").
 */
export class PayloadFormatError extends Error {
  override name = 'PayloadFormatError'
}
