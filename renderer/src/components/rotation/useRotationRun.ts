// One run of the rotation engine as the renderer follows it: the steps main reports through
// 'rotationProgress' events for this run id, then the outcome or the error the call answers with.
import { useState } from 'react'
import type { AppError, Result } from '../../../../preload/contract'
import type { RotationOutcome, RotationProgress, RotationStep } from '../../../../preload/model'
import { rotationStepRule } from '../../../../preload/rules'
import { api, settle } from '../../api'
import { useEvent } from '../../hooks/useEvent'

export type StepState = 'pending' | 'running' | 'done' | 'failed'

export const ROTATION_STEPS = rotationStepRule.options

export type RotationRun = {
  runId: string
  steps: Record<RotationStep, StepState>
} & (
  | { phase: 'running' }
  | { phase: 'succeeded'; outcome: RotationOutcome }
  | { phase: 'failed'; error: AppError }
)

function started(runId: string): RotationRun {
  const steps = Object.fromEntries(ROTATION_STEPS.map((step) => [step, 'pending'])) as Record<
    RotationStep,
    StepState
  >
  return { runId, steps, phase: 'running' }
}

function withProgress(run: RotationRun, progress: RotationProgress): RotationRun {
  return { ...run, steps: { ...run.steps, [progress.step]: progress.state } }
}

function finished(run: RotationRun, result: Result<RotationOutcome>): RotationRun {
  if (result.ok) {
    const steps = Object.fromEntries(ROTATION_STEPS.map((step) => [step, 'done'])) as Record<
      RotationStep,
      StepState
    >
    return { runId: run.runId, steps, phase: 'succeeded', outcome: result.value }
  }
  const failedStep = rotationStepRule.safeParse(result.error.step)
  const steps = { ...run.steps }
  for (const step of ROTATION_STEPS) {
    const marked = failedStep.success ? step === failedStep.data : steps[step] === 'running'
    if (marked) steps[step] = 'failed'
    else if (steps[step] === 'running') steps[step] = 'pending'
  }
  return { runId: run.runId, steps, phase: 'failed', error: result.error }
}

/** Starts runs with a fresh run id each, follows their progress, and cancels the one running. */
export function useRotationRun() {
  const [run, setRun] = useState<RotationRun | null>(null)

  useEvent('rotationProgress', (progress) => {
    setRun((current) =>
      current?.runId === progress.runId && current.phase === 'running'
        ? withProgress(current, progress)
        : current,
    )
  })

  async function start(
    call: (runId: string) => Promise<Result<RotationOutcome>>,
  ): Promise<Result<RotationOutcome>> {
    const runId = crypto.randomUUID()
    setRun(started(runId))
    const result = await settle(call(runId))
    setRun((current) => (current?.runId === runId ? finished(current, result) : current))
    return result
  }

  function cancel() {
    if (run?.phase === 'running') void settle(api().cancelRotation({ runId: run.runId }))
  }

  return { run, start, cancel, reset: () => setRun(null) }
}
