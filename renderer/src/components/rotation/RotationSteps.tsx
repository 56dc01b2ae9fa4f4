import type { RotationStep } from '../../../../preload/model'
import { rotationStepLabel } from '../../format'
import { ROTATION_STEPS, type StepState } from './useRotationRun'
import './Rotation.css'

const stateLabel: Record<StepState, string> = {
  pending: 'Waiting',
  running: 'Running…',
  done: 'Done',
  failed: 'Failed',
}

/** The five migration steps and where each one stands, updated live. */
export function RotationSteps({ steps }: { steps: Record<RotationStep, StepState> }) {
  return (
    <ol className="rotation-steps" aria-label="Migration steps" aria-live="polite">
      {ROTATION_STEPS.map((step) => (
        <li key={step} className={`rotation-step step-${steps[step]}`}>
          <span className="step-marker" aria-hidden="true" />
          <span className="step-name">{rotationStepLabel[step]}</span>
          <span className="step-state">{stateLabel[steps[step]]}</span>
        </li>
      ))}
    </ol>
  )
}
