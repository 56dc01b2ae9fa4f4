// Why a sync run stopped, worded for the helpdesk person who reads it. A stopped run keeps every
// device and coverage record it wrote; the message says so and what to do next. Messages name
// Apple's product by the tenant's scope and never quote an answer's body or a token.
import type { ErrorCode } from '../../preload/contract'
import type { Scope } from '../../preload/model'
import type { SyncStopReason } from '../../preload/sync-model'

const PRODUCT: Record<Scope, string> = {
  business: 'Apple Business Manager',
  school: 'Apple School Manager',
}

export class SyncError extends Error {
  override name = 'SyncError'
  readonly code: ErrorCode

  constructor(
    readonly reason: SyncStopReason,
    message: string,
  ) {
    super(message)
    this.code = CODES[reason]
  }

  /** Running the same sync again picks up where this one stopped. */
  get resumable(): boolean {
    return RESUMABLE.has(this.reason)
  }
}

const CODES: Record<SyncStopReason, ErrorCode> = {
  revoked: 'auth_failed',
  rejected: 'auth_failed',
  forbidden: 'auth_failed',
  no_credential: 'not_found',
  key_unusable: 'key_invalid',
  keychain: 'keychain_unavailable',
  network: 'sync_failed',
  server: 'sync_failed',
  bad_response: 'sync_failed',
  canceled: 'canceled',
  busy: 'busy',
  internal: 'internal',
}

const RESUMABLE: ReadonlySet<SyncStopReason> = new Set([
  'network',
  'server',
  'bad_response',
  'canceled',
  'internal',
])

const KEPT = 'The devices and coverage synced so far are kept.'
const RESUME = 'Sync again to continue where it stopped.'

export const keyRevoked = (scope: Scope): SyncError =>
  new SyncError(
    'revoked',
    `Apple no longer accepts this tenant's key: it was revoked or replaced in ${PRODUCT[scope]}. ` +
      `Use Change Credential to give the tenant its new key. ${KEPT}`,
  )

export const keyRejected = (scope: Scope, detail: string): SyncError =>
  new SyncError(
    'rejected',
    `Apple refused this tenant's credential (${detail}). Check the API account in ${PRODUCT[scope]}; ` +
      `if its key was replaced, use Change Credential. ${KEPT}`,
  )

export const tokenRefusedTwice = (scope: Scope): SyncError =>
  new SyncError(
    'rejected',
    `Apple refused a freshly issued access token (HTTP 401 twice in a row). The API account may ` +
      `have been turned off in ${PRODUCT[scope]}: check it there, then use Change Credential if ` +
      `its key was replaced. ${KEPT}`,
  )

/** `what` names the data the account may not read: "devices", "device details". */
export const forbidden = (scope: Scope, what: string): SyncError =>
  new SyncError(
    'forbidden',
    `Apple says this API account may not read the organisation's ${what} (HTTP 403). In ` +
      `${PRODUCT[scope]}, check the API account's access (Preferences › API), then sync again. ${KEPT}`,
  )

export const noActiveCredential = (): SyncError =>
  new SyncError(
    'no_credential',
    'This tenant has no credential to sync with. Add one in Settings › API Information.',
  )

export const keyUnusable = (): SyncError =>
  new SyncError(
    'key_unusable',
    "The tenant's stored private key could not sign a sign-in request. Use Change Credential to " +
      `give the tenant a working key. ${KEPT}`,
  )

export const keyMissing = (): SyncError =>
  new SyncError(
    'key_unusable',
    "The tenant's private key is missing from the keychain. Use Change Credential to give the " +
      `tenant its key again. ${KEPT}`,
  )

export const keychainUnavailable = (message: string): SyncError =>
  new SyncError('keychain', `${message} ${KEPT}`)

/** `detail` is a status ("HTTP 503") or a system error code ("ECONNRESET"). */
export const apiUnreachable = (detail: string, attempts: number): SyncError =>
  new SyncError(
    detail.startsWith('HTTP 5') ? 'server' : 'network',
    `Apple's API did not answer after ${attempts} tries (${detail}). ${KEPT} ${RESUME}`,
  )

export const unexpectedAnswer = (detail: string): SyncError =>
  new SyncError(
    'bad_response',
    `Apple's API gave an answer this app does not understand (${detail}). ${KEPT} ${RESUME}`,
  )

export const syncFailedUnexpectedly = (): SyncError =>
  new SyncError(
    'internal',
    `Something unexpected stopped the sync. ${KEPT} Sync again; if it keeps happening, restart the app.`,
  )

export const syncCanceled = (): SyncError =>
  new SyncError('canceled', `The sync was canceled. ${KEPT} ${RESUME}`)

/** A sync request that names no valid device: nothing was asked of Apple. */
export class SyncRequestError extends Error {
  override name = 'SyncRequestError'
  readonly code: ErrorCode = 'invalid_input'

  constructor(serial: string) {
    super(`"${serial.slice(0, 64)}" is not a serial number (letters and digits, up to 64).`)
  }
}

export const syncBusy = (): SyncError =>
  new SyncError(
    'busy',
    'A sync of this tenant is already running (in this window or on the command line). Wait for it to finish, or cancel it.',
  )
