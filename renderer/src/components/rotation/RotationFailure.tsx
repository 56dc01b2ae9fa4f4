import { useState } from 'react'
import type { AppError } from '../../../../preload/contract'
import { rotationStepRule } from '../../../../preload/rules'
import { rotationStepLabel } from '../../format'
import { DialogActions } from '../Dialog'
import { NO_VERDICT, saysNothingWasLost } from '../ErrorNotice'

interface RotationFailureProps {
  error: AppError
  /** The credential that stays active, named in the reassurance. */
  currentName: string
  onRetry: (options: { confirmOffline: boolean }) => void
  onBack?: () => void
  onClose: () => void
}

/** Only when Apple gave no verdict may the admin vouch for the key; a refusal stands. */
export function offersOfflineConfirmation(error: AppError): boolean {
  return error.code === 'auth_failed' && !!error.reason && NO_VERDICT.has(error.reason)
}

/** Which step failed and why, that nothing changed, and the ways forward. */
export function RotationFailure({
  error,
  currentName,
  onRetry,
  onBack,
  onClose,
}: RotationFailureProps) {
  const [checked, setChecked] = useState(false)
  const step = rotationStepRule.safeParse(error.step)
  const canceled = error.code === 'canceled'
  // A canceled run's message only repeats the title; any other message explains the failure.
  const message = canceled ? undefined : error.message
  const safe =
    message && saysNothingWasLost(message)
      ? ''
      : `Nothing was changed: ${currentName} is still the active credential. `
  return (
    <div className="rotation-failure">
      <div className="notice notice-error" role="alert">
        <p className="notice-title">
          {canceled
            ? 'The change was canceled.'
            : step.success
              ? `The change stopped at "${rotationStepLabel[step.data]}".`
              : 'The change did not complete.'}
        </p>
        {message && <p>{message}</p>}
        <p className="notice-hint">
          {safe}The tenant&apos;s data is untouched.{' '}
          {canceled ? 'Retry when you are ready.' : 'Fix the cause and retry.'}
        </p>
      </div>
      {offersOfflineConfirmation(error) && (
        <div className="offline-offer">
          <p>
            If you have checked the new key yourself (for example with another tool that reached
            Apple), you can confirm it offline instead.
          </p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={checked}
              onChange={(event) => setChecked(event.target.checked)}
            />
            I have checked this key works
          </label>
          <button
            type="button"
            className="btn"
            disabled={!checked}
            onClick={() => onRetry({ confirmOffline: true })}
          >
            Confirm Offline Instead
          </button>
        </div>
      )}
      <DialogActions>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
        {onBack && (
          <button type="button" className="btn" onClick={onBack}>
            Back to Edit
          </button>
        )}
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => onRetry({ confirmOffline: false })}
        >
          Retry
        </button>
      </DialogActions>
    </div>
  )
}
