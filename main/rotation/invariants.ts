// The promises the rotation engine keeps, as checks over the state file and the keychain: every
// tenant bound to exactly its one active credential, no half-made credential, no secret without a
// record and no usable record without its secret, no unfinished run. Empty means all is well.
import type { AppState } from '../vault/state-store'
import type { SecretStore } from '../vault/secret-store'
import type { StateStore } from '../vault/state-store'
import { journalEntries } from './journal'

export async function checkInvariants(deps: {
  state: StateStore
  secrets: Pick<SecretStore, 'accounts'>
}): Promise<string[]> {
  const state = deps.state.read()
  const accounts = new Set(await deps.secrets.accounts())
  return [
    ...tenantBindingViolations(state),
    ...recordViolations(state, accounts),
    ...orphanedSecrets(state, accounts),
    ...journalEntries(state).map(({ runId }) => `rotation journal ${runId} is left over`),
  ]
}

function tenantBindingViolations(state: AppState): string[] {
  const violations: string[] = []
  for (const tenant of Object.values(state.tenants)) {
    const active = Object.values(state.credentials).filter(
      (credential) => credential.tenantId === tenant.id && credential.status === 'active',
    )
    // A tenant whose last credential was removed (data kept) has none, and says so.
    const expected = tenant.activeCredentialId === null ? 0 : 1
    if (active.length !== expected) {
      violations.push(
        `tenant ${tenant.id} has ${active.length} active credentials, not ${expected}`,
      )
    }
    if (tenant.activeCredentialId !== null && active[0]?.id !== tenant.activeCredentialId) {
      violations.push(
        `tenant ${tenant.id} is bound to ${tenant.activeCredentialId}, which is not its active credential`,
      )
    }
  }
  return violations
}

function recordViolations(state: AppState, accounts: Set<string>): string[] {
  const violations: string[] = []
  for (const credential of Object.values(state.credentials)) {
    const { id, status } = credential
    if (!state.tenants[credential.tenantId]) violations.push(`credential ${id} has no tenant`)
    if (status === 'pending') violations.push(`credential ${id} is still pending`)
    if (status !== 'retired' && !accounts.has(id)) {
      violations.push(`${status} credential ${id} has no keychain item`)
    }
  }
  return violations
}

function orphanedSecrets(state: AppState, accounts: Set<string>): string[] {
  return [...accounts]
    .filter((account) => {
      const credential = state.credentials[account]
      return !credential || credential.status === 'retired'
    })
    .map((account) => `keychain item ${account} belongs to no usable credential`)
}
