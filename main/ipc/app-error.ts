// Turns whatever a service threw into the AppError the renderer shows. Services throw well-named
// error classes that carry a `code` and a message written for a helpdesk person; anything else is
// a bug, reported without its details (they could quote input) and logged in main by name only.
import type { AppError, ErrorCode } from '../../preload/contract'

const APP_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid_input',
  'key_invalid',
  'passphrase_required',
  'wrong_passphrase',
  'duplicate_client_id',
  'keychain_unavailable',
  'not_found',
  'tenant_data_decision_required',
  'confirmation_mismatch',
  'rotation_failed',
  'auth_failed',
  'canceled',
  'busy',
])

/** AuthError codes (main/auth) all mean "Apple did not confirm", with their own message. */
const AUTH_CODES = new Set([
  'invalid_client',
  'invalid_request',
  'rejected',
  'network',
  'timeout',
  'server',
  'bad_response',
])

interface CodedError {
  code: string
  message: string
  step?: unknown
}

function isCodedError(error: unknown): error is CodedError {
  return (
    error instanceof Error &&
    typeof (error as Partial<CodedError>).code === 'string' &&
    !!error.message
  )
}

export function toAppError(error: unknown): AppError {
  if (isCodedError(error)) {
    const step = typeof error.step === 'string' ? { step: error.step } : {}
    if (APP_CODES.has(error.code as ErrorCode)) {
      return { code: error.code as ErrorCode, message: error.message, ...step }
    }
    if (AUTH_CODES.has(error.code)) return { code: 'auth_failed', message: error.message, ...step }
  }
  console.error(`Unexpected ${error instanceof Error ? error.name : typeof error} in a request`)
  return {
    code: 'internal',
    message: 'Something unexpected went wrong. Nothing was changed. Try again, or restart the app.',
  }
}
