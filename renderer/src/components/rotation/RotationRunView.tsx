import { DialogActions } from '../Dialog'
import type { CredentialSummary } from './CredentialSummary'
import { RotationFailure } from './RotationFailure'
import { RotationResult } from './RotationResult'
import { RotationSteps } from './RotationSteps'
import type { RotationRun } from './useRotationRun'

interface RotationRunViewProps {
  run: RotationRun
  from: CredentialSummary
  to: CredentialSummary
  onCancel: () => void
  onRetry: (options: { confirmOffline: boolean }) => void
  onBack?: () => void
  onClose: () => void
}

/** Migrate and Result: the live steps while a run goes, then what changed or why it stopped. */
export function RotationRunView({
  run,
  from,
  to,
  onCancel,
  onRetry,
  onBack,
  onClose,
}: RotationRunViewProps) {
  if (run.phase === 'succeeded') {
    return (
      <>
        <RotationResult outcome={run.outcome} from={from} to={to} />
        <DialogActions>
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Done
          </button>
        </DialogActions>
      </>
    )
  }
  return (
    <>
      <RotationSteps steps={run.steps} />
      {run.phase === 'running' ? (
        <DialogActions>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        </DialogActions>
      ) : (
        <RotationFailure
          error={run.error}
          currentName={from.name}
          onRetry={onRetry}
          onBack={onBack}
          onClose={onClose}
        />
      )}
    </>
  )
}
