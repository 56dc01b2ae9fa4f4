// An add or a remove in a process of its own, for the vault's crash tests: run with
// `node --import tsx` and an IPC channel. Its keychain tells the parent `paused` at the point to
// crash (an add: the item is written, its record not yet; a remove: the record is gone, the item
// not yet deleted) and then waits for ever, so the parent can SIGKILL it exactly there.
// Argument: the VaultCrashJob as JSON.
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { AuditLog } from '../../main/audit/audit-log'
import { parsePrivateKey } from '../../main/vault/private-key'
import { KeychainSecretStore, type SecretStore } from '../../main/vault/secret-store'
import { FileStateStore } from '../../main/vault/state-store'
import { Vault } from '../../main/vault/vault'
import { fileTenantData } from '../integration/vault/support/vault-fixture'

export type VaultCrashJob =
  | { op: 'add'; dataDir: string; service: string; keyPath: string }
  | { op: 'remove'; dataDir: string; service: string; credentialId: string }

/** The one message the child sends: it has reached its crash point. */
export type VaultCrashPoint = 'paused'

function pauseForKill(): Promise<never> {
  process.send?.('paused' satisfies VaultCrashPoint)
  return new Promise<never>(() => {
    // The IPC channel keeps this process alive until the parent kills it.
  })
}

/** The real keychain, stopping for good after the step the job is to crash behind. */
function crashingKeychain(job: VaultCrashJob): SecretStore {
  const real = new KeychainSecretStore(job.service)
  return {
    set: async (account, secret) => {
      await real.set(account, secret)
      if (job.op === 'add') await pauseForKill()
    },
    get: (account) => real.get(account),
    delete: async (account) => {
      if (job.op === 'remove') await pauseForKill()
      return real.delete(account)
    },
    accounts: () => real.accounts(),
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as VaultCrashJob
const vault = new Vault({
  state: new FileStateStore(job.dataDir),
  secrets: crashingKeychain(job),
  audit: new AuditLog(job.dataDir),
  tenantData: fileTenantData(job.dataDir),
})
if (job.op === 'add') {
  await vault.add({
    name: 'Killed while adding',
    clientId: `BUSINESSAPI.${randomUUID()}`,
    keyId: randomUUID(),
    key: parsePrivateKey(readFileSync(job.keyPath)),
  })
} else {
  await vault.remove(job.credentialId, { tenantData: 'keep' })
}
throw new Error('the crash child was not stopped at its crash point')
