// The part of the composition root that every command of the CLI stands on: the state file, the
// keychain, the audit log, the tenant databases and the vault over them. services.ts builds the
// rest on top of it; commands that use nothing more (`add`, `remove`, `tenant`) open this alone, so
// they load neither the network, the rotation engine, the sync nor the managed-import code (`list`
// opens only the state file, main/cli/index.ts).
import { AuditLog } from './audit/audit-log'
import { KEYCHAIN_SERVICE } from './paths'
import type { WorkerScript } from './worker-script'
import { TenantDatabases } from './tenants/tenant-databases'
import { KeychainSecretStore, type SecretStore } from './vault/secret-store'
import { FileStateStore, type OpenStateFile, type StateStore } from './vault/state-store'
import { Vault } from './vault/vault'

export interface VaultServiceOptions {
  dataDir: string
  keychainService?: string
  /** The engine the state file is opened with: electron-store in the app, conf's format by default. */
  openStateFile?: OpenStateFile
  /** Where CSV file imports' worker thread starts from; without one they run in this thread. */
  importWorker?: WorkerScript
}

export interface VaultServices {
  readonly dataDir: string
  readonly state: StateStore
  readonly secrets: SecretStore
  readonly audit: AuditLog
  readonly vault: Vault
  readonly tenants: TenantDatabases
  /** Closes the tenant databases. */
  close(): Promise<void>
}

export function createVaultServices(options: VaultServiceOptions): VaultServices {
  const { dataDir } = options
  const state = new FileStateStore(dataDir, options.openStateFile)
  const secrets = new KeychainSecretStore(options.keychainService ?? KEYCHAIN_SERVICE)
  const audit = new AuditLog(dataDir)
  const tenants = new TenantDatabases(dataDir, options.importWorker)
  const vault = new Vault({ state, secrets, audit, tenantData: tenants })
  return {
    dataDir,
    state,
    secrets,
    audit,
    vault,
    tenants,
    close: async () => tenants.closeAll(),
  }
}
