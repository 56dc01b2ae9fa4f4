// A Vault on real parts: the state file in a temporary data folder, the real keychain under a
// service name of its own (so parallel tests never share items), the audit log, and tenant data as
// real files where main/tenants would put each tenant's database.
import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AuditLog } from '../../../../main/audit/audit-log'
import { tenantDbPath } from '../../../../main/paths'
import {
  deleteRemovalNote,
  readRemovalNotes,
  writeRemovalNote,
} from '../../../../main/tenants/removal-notes'
import { KeychainSecretStore } from '../../../../main/vault/secret-store'
import { FileStateStore, type StateStore } from '../../../../main/vault/state-store'
import { Vault, type TenantDataHooks } from '../../../../main/vault/vault'
import type { SecretStore } from '../../../../main/vault/secret-store'

export const uniqueKeychainService = (): string => `AxM test ${randomUUID()}`

export function fileTenantData(dataDir: string): TenantDataHooks {
  return {
    create(tenantId) {
      mkdirSync(join(dataDir, 'tenants'), { recursive: true })
      writeFileSync(tenantDbPath(dataDir, tenantId), '', { flag: 'wx' })
    },
    remove(tenantId) {
      rmSync(tenantDbPath(dataDir, tenantId), { force: true })
    },
    path: (tenantId) => tenantDbPath(dataDir, tenantId),
    noteRemoval: (note) => writeRemovalNote(dataDir, note),
    notedRemovals: () => readRemovalNotes(dataDir),
    dropRemovalNote: (tenantId) => deleteRemovalNote(dataDir, tenantId),
  }
}

export interface VaultParts {
  state?: StateStore
  secrets?: SecretStore
  audit?: AuditLog
  tenantData?: TenantDataHooks
}

export function openVault(dataDir: string, service: string, parts: VaultParts = {}): Vault {
  return new Vault({
    state: parts.state ?? new FileStateStore(dataDir),
    secrets: parts.secrets ?? new KeychainSecretStore(service),
    audit: parts.audit ?? new AuditLog(dataDir),
    tenantData: parts.tenantData ?? fileTenantData(dataDir),
  })
}

/** Deletes every keychain item a test made under its service name. */
export async function clearKeychain(service: string): Promise<void> {
  const store = new KeychainSecretStore(service)
  for (const account of await store.accounts()) await store.delete(account)
}
