// Why a token request failed, worded for the helpdesk person who reads it in the app. Messages carry
// at most Apple's own error code and description (which never hold secrets), never the assertion or
// a token.
import type { AuthFailureReason } from '../../preload/contract'

/** The renderer sees this code as AppError.reason (main/ipc/app-error.ts maps it). */
export type AuthErrorCode = AuthFailureReason

export class AuthError extends Error {
  override name = 'AuthError'

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

export const invalidClient = (): AuthError =>
  new AuthError(
    'invalid_client',
    'Apple rejected this key: check the Client ID and Key ID, or the key was revoked.',
  )

/** A 4xx answer other than invalid_client; `detail` is Apple's `error: description` or the status. */
export const refused = (code: 'invalid_request' | 'rejected', detail: string): AuthError =>
  new AuthError(code, `Apple refused the request (${detail}).`)

export const serverFailure = (status: number): AuthError =>
  new AuthError(
    'server',
    `Apple's sign-in service had a problem (HTTP ${status}). Try again in a few minutes.`,
  )

export const rateLimited = (): AuthError =>
  new AuthError(
    'rate_limited',
    "Apple's sign-in service is busy and asked this app to slow down (HTTP 429). Try again in a minute.",
  )

export const badResponse = (status: number): AuthError =>
  new AuthError(
    'bad_response',
    `Apple's sign-in service gave an answer this app does not understand (HTTP ${status}). ` +
      'Try again later.',
  )

/** `reason` is a system error code such as ECONNREFUSED or ENOTFOUND, when one is known. */
export const unreachable = (reason: string | undefined, cause: unknown): AuthError =>
  new AuthError(
    'network',
    `Could not reach Apple's sign-in service${reason ? ` (${reason})` : ''}. ` +
      'Check the network connection.',
    { cause },
  )

export const timedOut = (timeoutMs: number): AuthError =>
  new AuthError(
    'timeout',
    `Apple's sign-in service did not answer within ${describeDuration(timeoutMs)}. ` + 'Try again.',
  )

export const canceled = (): AuthError => new AuthError('canceled', 'The check was canceled.')

function describeDuration(ms: number): string {
  if (ms < 1000) return `${ms} milliseconds`
  const seconds = Math.round(ms / 100) / 10
  return seconds === 1 ? '1 second' : `${seconds} seconds`
}
