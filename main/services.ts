// The composition root: builds every service over one data folder, one keychain service and one
// token URL. The Electron app, the CLI and the e2e harness all start here, so they share behaviour.
import { AuditLog } from './audit/audit-log'
import { platformSources, usesManagedPrefsOverride, type ManagedSource } from './managed/sources'
import { ManagedImports } from './managed/managed-imports'
import { createHttpClient, type HttpClient, type ProxyResolver } from './net/http'
import { KEYCHAIN_SERVICE } from './paths'
import { oauthConfirmer } from './rotation/oauth-confirmer'
import { RotationEngine } from './rotation/rotation-engine'
import { apiBaseResolver } from './sync/api-base'
import { SyncService, type SyncServiceDeps } from './sync/sync-service'
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
  /** The environment the overrides (AXM_MANAGED_PREFS, AXM_APPLE_API_URL) and proxy come from. */
  env?: NodeJS.ProcessEnv
  /** The system's proxy for a URL (the app: Electron's session.resolveProxy); else the env's. */
  resolveProxy?: ProxyResolver
  /** Tests shorten the sync's waits and tune its batches. */
  syncOptions?: Pick<SyncServiceDeps, 'tuning' | 'retry' | 'onWrite'>
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
  readonly http: HttpClient
  readonly sync: SyncService
  /** Stops running syncs (each writes its last batch) and closes databases and connections. */
  close(): Promise<void>
}

export function createServices(options: ServiceOptions): AppServices {
  const { dataDir, tokenUrl } = options
  const packaged = options.packaged ?? false
  const state = new FileStateStore(dataDir, options.openStateFile)
  const secrets = new KeychainSecretStore(options.keychainService ?? KEYCHAIN_SERVICE)
  const audit = new AuditLog(dataDir)
  const tenants = new TenantDatabases(dataDir)
  const vault = new Vault({ state, secrets, audit, tenantData: tenants })
  const http = createHttpClient({ resolveProxy: options.resolveProxy, env: options.env })
  const sync = new SyncService({
    vault,
    tenants,
    http: http.fetch,
    tokenUrl,
    apiBase: apiBaseResolver({ packaged, env: options.env }),
    ...options.syncOptions,
  })
  const rotation = new RotationEngine({
    state,
    secrets,
    audit,
    tenantSnapshot: (tenantId) => tenants.open(tenantId).snapshot(),
    confirmer: oauthConfirmer(tokenUrl, http.fetch),
    // A running sync waits at a safe point while the tenant changes credential.
    holdTenant: (tenantId) => sync.hold(tenantId),
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
    http,
    sync,
    close: async () => {
      // Without a running sync, the databases close before this returns its promise.
      if (sync.running) await sync.close()
      else void sync.close()
      tenants.closeAll()
      await http.close()
    },
  }
}
