// Why a Change Credential run stopped, worded for the helpdesk person who reads it in the wizard:
// which step failed, why, and what state the tenant is in. Messages never quote key material.
import type { ErrorCode } from '../../preload/contract'
import type { RotationStep } from '../../preload/model'
import { AuthError, type AuthErrorCode } from '../auth/auth-error'
import { ClientAssertionError } from '../auth/client-assertion'
import { TenantDatabaseError } from '../tenants/errors'
import { KeychainUnavailableError, VaultError } from '../vault/errors'
import { StateFileError } from '../vault/state-store'

export type RotationErrorCode = Extract<
  ErrorCode,
  | 'rotation_failed'
  | 'auth_failed'
  | 'keychain_unavailable'
  | 'duplicate_client_id'
  | 'invalid_input'
  | 'canceled'
  | 'busy'
>

export const STEP_LABELS: Record<RotationStep, string> = {
  validate: 'Checking the new credential',
  stage: 'Saving the new key in the keychain',
  confirm: 'Confirming the new key with Apple',
  cutover: 'Switching the tenant to the new credential',
  purge: 'Removing the old key from the keychain',
}

export class RotationError extends Error {
  override name = 'RotationError'

  constructor(
    readonly code: RotationErrorCode,
    readonly step: RotationStep,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }

  /** Why Apple did not confirm the new key, when that is what stopped the run. */
  get reason(): AuthErrorCode | undefined {
    return this.cause instanceof AuthError ? this.cause.code : undefined
  }
}

/** The state changed under a running rotation (another window or process); nothing is written. */
export class RotationConflictError extends Error {
  override name = 'RotationConflictError'
}

/** A check of step 1 failed; `reason` says what to fix. Nothing had been written yet. */
export function refused(code: RotationErrorCode, reason: string): RotationError {
  return new RotationError(code, 'validate', `${reason} Nothing was changed.`)
}

/**
 * A step before the cutover failed and the run was rolled back (or will be at the next start, when
 * `cleanupDeferred`): the old credential stays the tenant's credential either way.
 */
export function failedBeforeCutover(input: {
  code: RotationErrorCode
  step: RotationStep
  reason: string
  oldName: string
  cleanupDeferred: boolean
  cause: unknown
}): RotationError {
  const what =
    input.code === 'canceled'
      ? `${STEP_LABELS[input.step]} was canceled.`
      : `${STEP_LABELS[input.step]} failed: ${input.reason}`
  const cleanup = input.cleanupDeferred
    ? ' The half-made new credential is cleaned up when the app next starts.'
    : ''
  return new RotationError(
    input.code,
    input.step,
    `${what} Nothing was changed: "${input.oldName}" is still the tenant's credential.${cleanup}`,
    { cause: input.cause },
  )
}

/**
 * The run stopped at or after its cutover. Nothing is undone: its journal stays, and recovery
 * (at the next start, or before the tenant's next rotation) finishes the run or rolls it back.
 */
export class UnsettledRotationError extends RotationError {
  override name = 'UnsettledRotationError'
}

/** The cutover happened but the run could not be completed. */
export function unfinishedAfterCutover(newName: string, reason: string, cause: unknown) {
  return new UnsettledRotationError(
    'rotation_failed',
    'purge',
    `"${newName}" is now the tenant's credential, but the change could not be completed: ${reason} ` +
      'The app completes it when it next starts.',
    { cause },
  )
}

/** The cutover write failed and the state could not be read back: it may or may not have landed. */
export function cutoverUnconfirmed(newName: string, reason: string, cause: unknown) {
  return new UnsettledRotationError(
    'rotation_failed',
    'cutover',
    `${STEP_LABELS.cutover} failed and the app could not check whether "${newName}" is now the ` +
      `tenant's credential: ${reason} Both keys are kept; the app completes or undoes the change ` +
      'when it next starts.',
    { cause },
  )
}

/** Errors of this app whose messages are written to be shown (they never quote secrets). */
const SHOWABLE: ReadonlyArray<new (...args: never[]) => Error> = [
  RotationConflictError,
  VaultError,
  StateFileError,
  TenantDatabaseError,
  ClientAssertionError,
]

/**
 * The code and a showable reason for anything a step threw. Other errors could quote their input
 * (node's argument errors do), so only their name or system error code is kept.
 */
export function describeFailure(error: unknown): { code: RotationErrorCode; reason: string } {
  if (error instanceof RotationError) return { code: error.code, reason: error.message }
  if (error instanceof AuthError) {
    return { code: error.code === 'canceled' ? 'canceled' : 'auth_failed', reason: error.message }
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'canceled', reason: 'The change was canceled.' }
  }
  if (error instanceof KeychainUnavailableError) {
    return { code: 'keychain_unavailable', reason: error.message }
  }
  if (SHOWABLE.some((type) => error instanceof type)) {
    return { code: 'rotation_failed', reason: (error as Error).message }
  }
  const systemCode = (error as NodeJS.ErrnoException | null)?.code
  if (typeof systemCode === 'string' && /^E[A-Z]+$/.test(systemCode)) {
    return {
      code: 'rotation_failed',
      reason: `the app's files could not be read or written (${systemCode}).`,
    }
  }
  const name = error instanceof Error ? error.name : typeof error
  return { code: 'rotation_failed', reason: `an unexpected error occurred (${name}).` }
}
