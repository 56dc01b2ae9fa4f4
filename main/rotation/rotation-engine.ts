// The Change Credential engine: runs rotations (one per tenant at a time, across processes, since
// the journal in the shared state file is the claim), cancels them before their cutover, and at
// start-up finishes or rolls back whatever a crash left behind.
import type { RotationOutcome } from '../../preload/model'
import { refused } from './errors'
import { recoverRotations, type RecoveryResult } from './recovery'
import { RotationRun } from './rotation-run'
import type { RotationEngineDeps, RotationInput } from './rotation-types'

export { RotationError, type RotationErrorCode } from './errors'
export type { RecoveryResult } from './recovery'
export type {
  CutoverConfirmer,
  RotationEngineDeps,
  RotationHooks,
  RotationInput,
} from './rotation-types'

export class RotationEngine {
  readonly #deps: RotationEngineDeps & { now: () => Date }
  readonly #runs = new Map<string, RotationRun>()

  constructor(deps: RotationEngineDeps) {
    this.#deps = { ...deps, now: deps.now ?? (() => new Date()) }
  }

  /** Resolves once the tenant uses the new credential; rejects with a RotationError otherwise. */
  async rotate(input: RotationInput): Promise<RotationOutcome> {
    if (this.#runs.has(input.runId)) {
      throw refused('busy', 'This credential change is already running.')
    }
    const run = new RotationRun(this.#deps, input)
    this.#runs.set(input.runId, run)
    try {
      return await run.execute()
    } finally {
      this.#runs.delete(input.runId)
    }
  }

  /** False when the run is unknown or already past its cutover, where a cancel cannot undo it. */
  cancel(runId: string): boolean {
    return this.#runs.get(runId)?.cancel() ?? false
  }

  /** Call at start-up, before any rotation: finishes or rolls back every unfinished run. */
  recover(): Promise<RecoveryResult[]> {
    return recoverRotations(this.#deps, (runId) => this.#runs.has(runId))
  }
}
