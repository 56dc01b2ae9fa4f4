// Turns whatever a service threw into the AppError the renderer (and the CLI) shows. The app's own
// error classes carry messages written for a helpdesk person, so theirs are shown as they are;
// anything else is a bug, reported without its details (they could quote input) and logged in main
// by name only.
import type { AppError, AuthFailureReason, ErrorCode } from '../../preload/contract'
import { AuditSecretError } from '../audit/audit-log'
import { AuthError } from '../auth/auth-error'
import { ClientAssertionError } from '../auth/client-assertion'
import { EndpointOverrideError } from '../net/loopback'
import { ManagedImportError, PayloadBuildError } from '../managed/errors'
import { RotationConflictError, RotationError } from '../rotation/errors'
import { SyncError, SyncRequestError } from '../sync/sync-errors'
import {
  CsvCanceledError,
  CsvImportError,
  TenantBusyError,
  TenantDatabaseError,
} from '../tenants/errors'
import { KeyStructureError } from '../vault/asn1'
import { VaultError } from '../vault/errors'
import { StateFileError } from '../vault/state-store'
import { ExportTargetError } from '../files'
import { PickedFileError } from './picked-files'

/** The app's error classes: their messages never quote secrets or unchecked input. */
const SHOWABLE: ReadonlyArray<new (...args: never[]) => Error> = [
  AuthError,
  ClientAssertionError,
  EndpointOverrideError,
  VaultError,
  StateFileError,
  TenantDatabaseError,
  CsvImportError,
  CsvCanceledError,
  TenantBusyError,
  RotationError,
  RotationConflictError,
  ManagedImportError,
  PayloadBuildError,
  KeyStructureError,
  AuditSecretError,
  PickedFileError,
  SyncError,
  SyncRequestError,
  ExportTargetError,
]

// A record, not a list, so the compiler notices when the contract gains or loses a code.
const ERROR_CODES: Record<ErrorCode, true> = {
  invalid_input: true,
  key_invalid: true,
  passphrase_required: true,
  wrong_passphrase: true,
  duplicate_client_id: true,
  keychain_unavailable: true,
  not_found: true,
  tenant_data_decision_required: true,
  confirmation_mismatch: true,
  rotation_failed: true,
  auth_failed: true,
  canceled: true,
  busy: true,
  sync_failed: true,
  internal: true,
  state_damaged: true,
}

const UNEXPECTED: AppError = {
  code: 'internal',
  message: 'Something unexpected went wrong. Nothing was changed. Try again, or restart the app.',
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AuthError) return authFailure(error.code, error.message)
  if (!SHOWABLE.some((type) => error instanceof type)) {
    console.error(`Unexpected ${error instanceof Error ? error.name : typeof error} in a request`)
    // The frames say where, without the first line's message, which could quote input.
    if (error instanceof Error && error.stack) console.error(stackFrames(error.stack))
    return UNEXPECTED
  }
  const { code, message } = error as Error & { code?: unknown }
  const reason = error instanceof RotationError ? error.reason : undefined
  return {
    code: isErrorCode(code) ? code : 'internal',
    message,
    ...(error instanceof RotationError ? { step: error.step } : {}),
    ...(reason ? { reason } : {}),
  }
}

/** Every AuthError means "Apple did not confirm"; `reason` tells the renderer whether it said no. */
function authFailure(reason: AuthFailureReason, message: string): AppError {
  return { code: reason === 'canceled' ? 'canceled' : 'auth_failed', message, reason }
}

function stackFrames(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n')
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code)
}
