// The Change Credential engine: runs rotations (one per tenant at a time, across processes, since
// the journal in the shared state file is the claim), cancels them before their cutover, and
// finishes or rolls back whatever a crash or a failed step left behind: every run at start-up, and
// the tenant's own runs before each new rotation of it.
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

/**
 * The runs this process is executing, whichever engine started them: a journal names its owner by
 * process, so recovery treats a journal of this process that no engine here runs as abandoned.
 */
const runsInThisProcess = new Map<string, RotationRun>()
const runningHere = (runId: string): boolean => runsInThisProcess.has(runId)

export class RotationEngine {
  readonly #deps: RotationEngineDeps & { now: () => Date }

  constructor(deps: RotationEngineDeps) {
    this.#deps = { ...deps, now: deps.now ?? (() => new Date()) }
  }

  /** Resolves once the tenant uses the new credential; rejects with a RotationError otherwise. */
  async rotate(input: RotationInput): Promise<RotationOutcome> {
    if (runsInThisProcess.has(input.runId)) {
      throw refused('busy', 'This credential change is already running.')
    }
    const run = new RotationRun(this.#deps, input)
    runsInThisProcess.set(input.runId, run)
    let release: (() => void) | undefined
    try {
      await this.#recoverTenantOf(input.credentialId)
      const tenantId = this.#tenantOf(input.credentialId)
      if (tenantId !== undefined) release = await this.#deps.holdTenant?.(tenantId)
      return await run.execute()
    } finally {
      release?.()
      runsInThisProcess.delete(input.runId)
    }
  }

  /** False when the run is unknown or already past its cutover, where a cancel cannot undo it. */
  cancel(runId: string): boolean {
    return runsInThisProcess.get(runId)?.cancel() ?? false
  }

  /** Call at start-up, before any rotation: finishes or rolls back every unfinished run. */
  recover(): Promise<RecoveryResult[]> {
    return recoverRotations(this.#deps, { runningHere, auditDeferred: true })
  }

  /**
   * A run of this tenant left unfinished (its owner gone, or a start-up recovery that had to wait
   * for the keychain) would refuse this rotation as busy; settle it first if it can be settled now.
   */
  async #recoverTenantOf(credentialId: string): Promise<void> {
    const tenantId = this.#tenantOf(credentialId)
    if (tenantId !== undefined) await recoverRotations(this.#deps, { runningHere, tenantId })
  }

  #tenantOf(credentialId: string): string | undefined {
    try {
      const credentials = this.#deps.state.read().credentials
      return Object.hasOwn(credentials, credentialId)
        ? credentials[credentialId]?.tenantId
        : undefined
    } catch {
      // An unreadable state file is reported by the run's own validation.
      return undefined
    }
  }
}
