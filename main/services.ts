// The composition root: builds every service over one data folder, one keychain service and one
// token URL. The Electron app, the CLI and the e2e harness all start here, so they share behaviour.
// The vault and what it stands on come from vault-services.ts, which CLI commands that need no
// more open alone.
import { platformSources, usesManagedPrefsOverride, type ManagedSource } from './managed/sources'
import { ManagedImports } from './managed/managed-imports'
import { createHttpClient, type HttpClient, type ProxyResolver } from './net/http'
import { oauthConfirmer } from './rotation/oauth-confirmer'
import { RotationEngine } from './rotation/rotation-engine'
import { apiBaseResolver } from './sync/api-base'
import { SyncService, type SyncServiceDeps } from './sync/sync-service'
import { createVaultServices, type VaultServiceOptions, type VaultServices } from './vault-services'
import { keyParserWith, type KeyParser } from './vault/parse-in-worker'
import type { WorkerScript } from './worker-script'

export interface ServiceOptions extends VaultServiceOptions {
  tokenUrl: string
  /** Where managed credentials come from; the platform's own sources by default. */
  managedSources?: ManagedSource[]
  packaged?: boolean
  /** The environment the overrides (AXM_MANAGED_PREFS, AXM_APPLE_API_URL) and proxy come from. */
  env?: NodeJS.ProcessEnv
  /** The system's proxy for a URL (the app: Electron's session.resolveProxy); else the env's. */
  resolveProxy?: ProxyResolver
  /** Tests shorten the sync's waits and tune its batches. */
  syncOptions?: Pick<SyncServiceDeps, 'tuning' | 'retry' | 'onWrite'>
  /** Where keys given with a passphrase are decrypted; without one, in this thread. */
  keyWorker?: WorkerScript
}

export interface AppServices extends VaultServices {
  readonly tokenUrl: string
  readonly rotation: RotationEngine
  readonly managed: ManagedImports
  readonly http: HttpClient
  readonly sync: SyncService
  /** Reads the keys the app is given (decrypting them off this thread where keyWorker says). */
  readonly parseKey: KeyParser
  /** Stops running syncs (each writes its last batch) and closes databases and connections. */
  close(): Promise<void>
}

export function createServices(options: ServiceOptions): AppServices {
  const { tokenUrl } = options
  const packaged = options.packaged ?? false
  const core = createVaultServices(options)
  const { state, secrets, audit, tenants, vault } = core
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
  const parseKey = keyParserWith(options.keyWorker)
  const managed = new ManagedImports({
    state,
    sources: options.managedSources ?? platformSources({ packaged, env: options.env }),
    vault,
    rotation,
    audit,
    parseKey,
    // An admin's trial file holds some entries, not the organisation's whole policy.
    releaseDeparted: !usesManagedPrefsOverride({ packaged, env: options.env }),
  })
  return {
    ...core,
    tokenUrl,
    rotation,
    managed,
    http,
    sync,
    parseKey,
    close: async () => {
      // Without a running sync, the databases close before this returns its promise.
      if (sync.running) await sync.close()
      else void sync.close()
      await core.close()
      await http.close()
    },
  }
}
