// The vault's intents: a note in the state file, per credential id, of a keychain change that the
// records may not match yet. An add writes its intent before the keychain item and removes it in
// the write that records the credential; a remove writes its intent in the write that drops the
// record and removes it once the item is deleted. A crash in between leaves the intent, and
// recovery deletes the item no record points at.
import { ownerMayBeRunning } from '../process-owner'
import type { SecretStore } from './secret-store'
import type { AppState, StateStore, VaultIntent } from './state-store'

/**
 * The credential ids whose add or remove this process is running, whichever Vault started it: an
 * intent names its owner by process, so recovery treats one of this process that nothing here
 * runs as abandoned.
 */
const claimedHere = new Set<string>()

/** The intents one add or remove writes, held as this process's own until it ends. */
export class IntentClaim {
  readonly #ids: string[] = []
  readonly #now: () => Date

  constructor(now: () => Date) {
    this.#now = now
  }

  /** Writes the intents into `state`, inside the caller's update. */
  put(state: AppState, kind: VaultIntent['kind'], credentialIds: string[]): void {
    const intent: VaultIntent = {
      kind,
      ownerPid: process.pid,
      updatedAt: this.#now().toISOString(),
    }
    for (const id of credentialIds) {
      state.vaultIntents[id] = intent
      claimedHere.add(id)
      this.#ids.push(id)
    }
  }

  /** Call once the add or remove has ended, successfully or not. */
  release(): void {
    for (const id of this.#ids.splice(0)) claimedHere.delete(id)
  }
}

export function dropIntents(state: AppState, credentialIds: string[]): void {
  for (const id of credentialIds) delete state.vaultIntents[id]
}

export interface IntentRecovery {
  credentialId: string
  /**
   * `rolled_back`: an add that never completed, its keychain item deleted; `finished`: a removal's
   * keychain item deleted, or an add that had completed; `deferred`: left for the next start (its
   * owner still runs, or the keychain or the state file failed).
   */
  action: 'rolled_back' | 'finished' | 'deferred'
  message?: string
}

export interface IntentRecoveryDeps {
  state: StateStore
  secrets: SecretStore
  now: () => Date
}

/** Settles the intent of every add or remove whose process is gone. Audits nothing: see below. */
export async function recoverIntents(deps: IntentRecoveryDeps): Promise<IntentRecovery[]> {
  const results: IntentRecovery[] = []
  for (const [credentialId, intent] of Object.entries(deps.state.read().vaultIntents)) {
    if (claimedHere.has(credentialId)) continue
    results.push(await recoverIntent(deps, credentialId, intent))
  }
  return results
}

/**
 * An add that never completed changed nothing a user saw, and a removal was audited when its
 * record went, so neither needs an audit entry here.
 */
async function recoverIntent(
  deps: IntentRecoveryDeps,
  credentialId: string,
  intent: VaultIntent,
): Promise<IntentRecovery> {
  if (ownerMayBeRunning(intent, deps.now())) {
    return { credentialId, action: 'deferred', message: 'another AxM process is still running it' }
  }
  try {
    // A record under this id is an add that had completed, whose keychain item is in use; a
    // removal's record went in the write that made its intent.
    const recorded = Object.hasOwn(deps.state.read().credentials, credentialId)
    if (!recorded) await deps.secrets.delete(credentialId)
    await deps.state.update((state) => dropIntents(state, [credentialId]))
    const action = intent.kind === 'add' && !recorded ? 'rolled_back' : 'finished'
    return { credentialId, action }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { credentialId, action: 'deferred', message }
  }
}
