// One Change Credential run: validate → stage → confirm → cutover → purge. Each step is journaled
// in the state file before it acts. Until the cutover every failure is rolled back; from the cutover
// on the run only goes forward, and what it cannot finish now recovery finishes later. A cutover
// whose write failed and whose outcome cannot be read back is neither: recovery decides it.
import { randomUUID } from 'node:crypto'
import type {
  ConfirmationMethod,
  Credential,
  RotationOutcome,
  RotationProgress,
  RotationStep,
  TenantDataSnapshot,
} from '../../preload/model'
import { appendBestEffort, failedEntry, rotatedEntry } from './audit-entries'
import { addPendingCredential, applyCutover, isCutOver } from './credential-transitions'
import {
  cutoverUnconfirmed,
  describeFailure,
  failedBeforeCutover,
  RotationConflictError,
  RotationError,
  unfinishedAfterCutover,
  UnsettledRotationError,
} from './errors'
import {
  advanceJournal,
  putJournal,
  removeJournal,
  reviseJournal,
  type RotationJournal,
} from './journal'
import { rollBack } from './rollback'
import type { RotationEngineDeps, RotationInput } from './rotation-types'
import { validateRotation, type ValidatedRotation } from './validate'
import type { AppState } from '../vault/state-store'

/** What the steps before the cutover produced, kept for the cutover and the audit entry. */
interface Staged {
  validated: ValidatedRotation
  next: Credential
  before: TenantDataSnapshot
  confirmation: ConfirmationMethod
}

export class RotationRun {
  readonly #deps: RotationEngineDeps & { now: () => Date }
  readonly #input: RotationInput
  readonly #abort = new AbortController()
  readonly #signal: AbortSignal
  #step: RotationStep = 'validate'
  #journal: RotationJournal | undefined
  /** Whether the new key may be in the keychain: false until its write succeeded. */
  #secretStaged = false
  /** False from the moment the cutover is written: a cancel can no longer undo anything. */
  #cancelable = true

  constructor(deps: RotationEngineDeps & { now: () => Date }, input: RotationInput) {
    this.#deps = deps
    this.#input = input
    this.#signal = input.signal
      ? AbortSignal.any([this.#abort.signal, input.signal])
      : this.#abort.signal
  }

  cancel(): boolean {
    if (!this.#cancelable) return false
    this.#abort.abort()
    return true
  }

  async execute(): Promise<RotationOutcome> {
    let staged: Staged
    try {
      staged = await this.#untilCutover()
    } catch (error) {
      if (!(error instanceof UnsettledRotationError)) throw await this.#rollBackAfter(error)
      this.#report('failed', error.message)
      throw error
    }
    return this.#finish(staged)
  }

  async #untilCutover(): Promise<Staged> {
    await this.#enter('validate')
    const validated = await this.#validateAndClaim()
    const before = await this.#deps.tenantSnapshot(validated.tenant.id)
    await this.#done('validate')

    await this.#enter('stage')
    const next = this.#pendingRecord(validated)
    await this.#advance('stage', { before }, (state) => addPendingCredential(state, next))
    await this.#deps.secrets.set(next.id, this.#input.key.pkcs8Pem)
    this.#secretStaged = true
    await this.#done('stage')

    await this.#enter('confirm')
    await this.#advance('confirm')
    const confirmation = await this.#confirm(next)
    await this.#done('confirm')

    await this.#enter('cutover')
    await this.#advance('cutover', { confirmation })
    await this.#cutOver(next)
    await this.#done('cutover')
    return { validated, next, before, confirmation }
  }

  /** Checks and claims the tenant in one locked write: the journal entry is the claim. */
  async #validateAndClaim(): Promise<ValidatedRotation> {
    const { runId, credentialId, name, clientId, keyId, key } = this.#input
    const at = this.#deps.now().toISOString()
    const { publicKeyFingerprint } = key
    const request = { runId, credentialId, name, clientId, keyId, publicKeyFingerprint }
    const newCredentialId = randomUUID()
    const claimed = await this.#deps.state.update((state) => {
      const validated = validateRotation(state, request)
      const journal: RotationJournal = {
        runId,
        tenantId: validated.tenant.id,
        oldCredentialId: validated.old.id,
        newCredentialId,
        step: 'validate',
        startedAt: at,
        updatedAt: at,
        ownerPid: process.pid,
      }
      putJournal(state, journal)
      return { validated, journal }
    })
    this.#journal = claimed.journal
    return claimed.validated
  }

  #pendingRecord(validated: ValidatedRotation): Credential {
    const { origin, key } = this.#input
    return {
      id: this.#requireJournal().newCredentialId,
      tenantId: validated.tenant.id,
      name: validated.name,
      clientId: validated.clientId,
      keyId: validated.keyId,
      scope: validated.tenant.scope,
      publicKeyFingerprint: key.publicKeyFingerprint,
      status: 'pending',
      origin: origin ? 'managed' : 'manual',
      ...(origin ?? {}),
      replaces: validated.old.id,
      createdAt: this.#deps.now().toISOString(),
    }
  }

  async #confirm(next: Credential): Promise<ConfirmationMethod> {
    if (this.#input.confirmOffline) return 'offline'
    const { clientId, keyId, scope } = next
    const privateKeyPem = this.#input.key.pkcs8Pem
    await this.#deps.confirmer.confirm({
      clientId,
      keyId,
      scope,
      privateKeyPem,
      signal: this.#signal,
    })
    return 'oauth'
  }

  async #cutOver(next: Credential): Promise<void> {
    const journal = this.#requireJournal()
    this.#throwIfCanceled()
    this.#cancelable = false
    try {
      await this.#deps.state.update((state) => applyCutover(state, journal, this.#deps.now()))
    } catch (error) {
      // A write can fail after it landed (the lock release, say): the state decides, not the error.
      // If the state cannot be read either, nothing may be undone on a guess: recovery decides.
      const state = this.#readState()
      if (!state) throw cutoverUnconfirmed(next.name, describeFailure(error).reason, error)
      if (!isCutOver(state, journal)) {
        this.#cancelable = true
        throw error
      }
    }
  }

  /** From the cutover on nothing is undone: a purge that fails is retried by recovery. */
  async #finish(staged: Staged): Promise<RotationOutcome> {
    const { validated, next, before, confirmation } = staged
    const journal = this.#requireJournal()
    try {
      const oldKeyRemoved = await this.#purge(journal)
      const after = await this.#deps.tenantSnapshot(journal.tenantId)
      const old = validated.old
      const tenantName = validated.tenant.name
      const cutover = { runId: journal.runId, tenantName, old, next, before, after, oldKeyRemoved }
      const audited = appendBestEffort(this.#deps.audit, rotatedEntry({ ...cutover, confirmation }))
      if (oldKeyRemoved) {
        await this.#deps.state.update((state) => removeJournal(state, journal.runId))
      } else if (audited) {
        // Recovery then records only the old key's removal, not the whole change a second time.
        await this.#deps.state.update((state) =>
          reviseJournal(state, journal.runId, this.#deps.now(), { rotatedAudited: true }),
        )
      }
      return {
        tenantId: journal.tenantId,
        oldCredentialId: journal.oldCredentialId,
        newCredentialId: journal.newCredentialId,
        confirmation,
        before,
        after,
      }
    } catch (error) {
      const failure = unfinishedAfterCutover(next.name, describeFailure(error).reason, error)
      this.#report('failed', failure.message)
      throw failure
    }
  }

  async #purge(journal: RotationJournal): Promise<boolean> {
    await this.#enter('purge')
    try {
      await this.#advance('purge')
      await this.#deps.secrets.delete(journal.oldCredentialId)
      await this.#done('purge')
      return true
    } catch (error) {
      this.#report(
        'failed',
        `The new credential is active, but the old key could not be removed from the keychain yet: ` +
          `${describeFailure(error).reason} The app removes it when it next starts.`,
      )
      return false
    }
  }

  async #rollBackAfter(error: unknown): Promise<RotationError> {
    const step = this.#step
    const { code, reason } = describeFailure(error)
    let cleanupDeferred = false
    if (this.#journal) {
      try {
        await rollBack(this.#deps, this.#journal, { secretStaged: this.#secretStaged })
      } catch {
        cleanupDeferred = true
      }
    }
    const failure =
      error instanceof RotationError && step === 'validate'
        ? error
        : failedBeforeCutover({
            code,
            step,
            reason,
            oldName: this.#oldName(),
            cleanupDeferred,
            cause: error,
          })
    this.#report('failed', failure.message)
    appendBestEffort(
      this.#deps.audit,
      failedEntry({
        runId: this.#input.runId,
        tenantId: this.#tenantId(),
        credentialId: this.#input.credentialId,
        step,
        code: failure.code,
        reason,
        cleanupDeferred,
      }),
    )
    return failure
  }

  async #enter(step: RotationStep): Promise<void> {
    this.#step = step
    await this.#deps.hooks?.beforeStep?.(step, this.#input.runId)
    if (this.#cancelable) this.#throwIfCanceled()
    this.#report('running')
  }

  async #done(step: RotationStep): Promise<void> {
    this.#report('done')
    await this.#deps.hooks?.afterStep?.(step, this.#input.runId)
  }

  async #advance(
    step: RotationStep,
    changes: Parameters<typeof advanceJournal>[4] = {},
    alsoChange: (state: AppState) => void = () => {},
  ): Promise<void> {
    const { runId } = this.#input
    this.#journal = await this.#deps.state.update((state) => {
      alsoChange(state)
      return advanceJournal(state, runId, step, this.#deps.now(), changes)
    })
  }

  #throwIfCanceled(): void {
    if (this.#signal.aborted) {
      throw new RotationError('canceled', this.#step, 'The change was canceled.')
    }
  }

  #report(state: RotationProgress['state'], message?: string): void {
    const progress = { runId: this.#input.runId, step: this.#step, state, message }
    try {
      this.#input.onProgress?.(progress)
    } catch {
      // A listener that went away (a closed window) must not fail a rotation.
    }
  }

  #tenantId(): string | undefined {
    return (
      this.#journal?.tenantId ?? this.#readState()?.credentials[this.#input.credentialId]?.tenantId
    )
  }

  #oldName(): string {
    const oldId = this.#journal?.oldCredentialId ?? this.#input.credentialId
    return this.#readState()?.credentials[oldId]?.name ?? 'The current credential'
  }

  #readState(): AppState | undefined {
    try {
      return this.#deps.state.read()
    } catch {
      return undefined
    }
  }

  #requireJournal(): RotationJournal {
    if (!this.#journal) throw new RotationConflictError('the run has no journal yet.')
    return this.#journal
  }
}
