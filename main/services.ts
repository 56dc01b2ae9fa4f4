// The composition root: builds every service over one data folder, one keychain service and one
// token URL. The Electron app, the CLI and the e2e harness all start here, so they share behaviour.
import { AuditLog } from './audit/audit-log'
import { platformSources, usesManagedPrefsOverride, type ManagedSource } from './managed/sources'
import { ManagedImports } from './managed/managed-imports'
import { KEYCHAIN_SERVICE } from './paths'
import { oauthConfirmer } from './rotation/oauth-confirmer'
import { RotationEngine } from './rotation/rotation-engine'
import { TenantDatabases } from './tenants/tenant-databases'
import { KeychainSecretStore, type SecretStore } from './vault/secret-store'
import { FileStateStore, type OpenStateFile, type StateStore } from './vault/state-store'
import { Vault } from './vault/vault'

export interface ServiceOptions {
  dataDir: string
  tokenUrl: string
  keychainService?: string
  /** The engine the state file is opened with: electron-store in the app, conf by default. */
  openStateFile?: OpenStateFile
  /** Where managed credentials come from; the platform's own sources by default. */
  managedSources?: ManagedSource[]
  packaged?: boolean
  /** The environment the managed-preferences override (AXM_MANAGED_PREFS) is read from. */
  env?: NodeJS.ProcessEnv
}

export interface AppServices {
  readonly dataDir: string
  readonly tokenUrl: string
  readonly state: StateStore
  readonly secrets: SecretStore
  readonly audit: AuditLog
  readonly vault: Vault
  readonly tenants: TenantDatabases
  readonly rotation: RotationEngine
  readonly managed: ManagedImports
  close(): void
}

export function createServices(options: ServiceOptions): AppServices {
  const { dataDir, tokenUrl } = options
  const packaged = options.packaged ?? false
  const state = new FileStateStore(dataDir, options.openStateFile)
  const secrets = new KeychainSecretStore(options.keychainService ?? KEYCHAIN_SERVICE)
  const audit = new AuditLog(dataDir)
  const tenants = new TenantDatabases(dataDir)
  const vault = new Vault({ state, secrets, audit, tenantData: tenants })
  const rotation = new RotationEngine({
    state,
    secrets,
    audit,
    tenantSnapshot: (tenantId) => tenants.open(tenantId).snapshot(),
    confirmer: oauthConfirmer(tokenUrl),
  })
  const managed = new ManagedImports({
    state,
    sources: options.managedSources ?? platformSources({ packaged, env: options.env }),
    vault,
    rotation,
    audit,
    // An admin's trial file holds some entries, not the organisation's whole policy.
    releaseDeparted: !usesManagedPrefsOverride({ packaged, env: options.env }),
  })
  return {
    dataDir,
    tokenUrl,
    state,
    secrets,
    audit,
    vault,
    tenants,
    rotation,
    managed,
    close: () => tenants.closeAll(),
  }
}
