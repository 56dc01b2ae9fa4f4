// `remove --delete-data` in a process of its own, for the crash matrix: run with `node --import
// tsx` and an IPC channel. Its real parts (state file, keychain, audit log, tenant databases) tell
// the parent `paused` right after the step named in the job and then stop, so the parent can
// SIGKILL it exactly at that step boundary. Argument: the TenantRemovalCrashJob as JSON.
import { AuditLog } from '../../main/audit/audit-log'
import { TenantDatabases } from '../../main/tenants/tenant-databases'
import { KeychainSecretStore } from '../../main/vault/secret-store'
import { FileStateStore } from '../../main/vault/state-store'
import { Vault, type TenantDataHooks } from '../../main/vault/vault'
import { stopForKill } from './crash-point'

/** The step boundaries of removing a tenant's last credential with its data, in their order. */
export type TenantRemovalStep =
  | 'data noted'
  | 'records removed'
  | 'removal audited'
  | 'key deleted'
  | 'data deleted'
  | 'data deletion audited'

export interface TenantRemovalCrashJob {
  dataDir: string
  service: string
  credentialId: string
  tenantName: string
  killAfter: TenantRemovalStep
}

const job = JSON.parse(process.argv[2] ?? '{}') as TenantRemovalCrashJob

/** Stops this process for good right after `step`, for the parent to SIGKILL it there. */
function after(step: TenantRemovalStep): void {
  if (step === job.killAfter) stopForKill()
}

const state = new FileStateStore(job.dataDir)
const secrets = new KeychainSecretStore(job.service)
const audit = new AuditLog(job.dataDir)
const tenants = new TenantDatabases(job.dataDir)

// Each step runs for real; the kill comes right after it.
const tenantData: TenantDataHooks = {
  create: (tenantId) => tenants.create(tenantId),
  path: (tenantId) => tenants.path(tenantId),
  noteRemoval: (note) => {
    tenants.noteRemoval(note)
    after('data noted')
  },
  notedRemovals: () => tenants.notedRemovals(),
  dropRemovalNote: (tenantId) => tenants.dropRemovalNote(tenantId),
  remove: (tenantId) => {
    tenants.remove(tenantId)
    after('data deleted')
  },
}

const vault = new Vault({
  state: {
    path: state.path,
    read: () => state.read(),
    update: async (change) => {
      const result = await state.update(change)
      after('records removed')
      return result
    },
  },
  secrets: {
    set: (account, secret) => secrets.set(account, secret),
    get: (account) => secrets.get(account),
    delete: async (account) => {
      const deleted = await secrets.delete(account)
      after('key deleted')
      return deleted
    },
    accounts: () => secrets.accounts(),
  },
  audit: Object.assign(Object.create(audit) as AuditLog, {
    append: (entry: Parameters<AuditLog['append']>[0]) => {
      const written = audit.append(entry)
      if (entry.kind === 'credential.removed') after('removal audited')
      if (entry.kind === 'tenant.removed') after('data deletion audited')
      return written
    },
  }),
  tenantData,
})
await vault.remove(job.credentialId, { tenantData: 'delete', confirmName: job.tenantName })
throw new Error('the crash child was not stopped at its crash point')
