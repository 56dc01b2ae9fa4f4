// A real setting for sync tests and the bench: the app's services over a data folder of their own
// and a keychain service of their own, pointed at the loopback fake of Apple's API (token endpoint
// and API), with tenants whose API accounts the fake knows.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { Credential } from '../../preload/model'
import { createServices, type AppServices } from '../../main/services'
import { API_URL_ENV } from '../../main/sync/api-base'
import type { RetryPolicy } from '../../main/sync/apple-api-client'
import type { SyncTuning } from '../../main/sync/sync-run'
import { tenantDbPath } from '../../main/paths'
import { parsePrivateKey } from '../../main/vault/private-key'
import {
  startAppleApiFake,
  type AppleApiFake,
  type AppleApiFakeOptions,
  type FakeOrg,
  type FakeOrgInput,
} from './apple-api'
import { makeTestClient, type TestClient } from './oauth-server'

/** Waits short enough for tests: Retry-After still counts, in whole seconds as Apple sends it. */
export const FAST_RETRY: Partial<RetryPolicy> = { baseMs: 20, capMs: 100, timeoutMs: 5_000 }

export interface SyncWorld {
  fake: AppleApiFake
  dataDir: string
  keysDir: string
  keychainService: string
  env: NodeJS.ProcessEnv
  services: AppServices
}

export interface SyncTenant {
  tenantId: string
  credential: Credential
  client: TestClient
  org: FakeOrg
}

export async function createSyncWorld(
  options: {
    fake?: AppleApiFakeOptions
    tuning?: Partial<SyncTuning>
    retry?: Partial<RetryPolicy>
    env?: NodeJS.ProcessEnv
    onWrite?: (ms: number) => void
  } = {},
): Promise<SyncWorld> {
  const fake = await startAppleApiFake(options.fake)
  const dataDir = mkdtempSync(join(tmpdir(), 'axm-sync-'))
  const keysDir = mkdtempSync(join(tmpdir(), 'axm-sync-keys-'))
  const keychainService = `AxM sync test ${randomUUID()}`
  const env = { [API_URL_ENV]: fake.apiUrl, ...options.env }
  const services = servicesFor({ fake, dataDir, keychainService, env }, options)
  return { fake, dataDir, keysDir, keychainService, env, services }
}

/** Another set of services over the same folder and keychain, as a second app start would have. */
export function servicesFor(
  world: Pick<SyncWorld, 'fake' | 'dataDir' | 'keychainService' | 'env'>,
  options: {
    tuning?: Partial<SyncTuning>
    retry?: Partial<RetryPolicy>
    onWrite?: (ms: number) => void
  } = {},
): AppServices {
  return createServices({
    dataDir: world.dataDir,
    tokenUrl: world.fake.tokenUrl,
    keychainService: world.keychainService,
    managedSources: [],
    env: world.env,
    syncOptions: {
      tuning: options.tuning,
      retry: { ...FAST_RETRY, ...options.retry },
      onWrite: options.onWrite,
    },
  })
}

export async function disposeSyncWorld(world: SyncWorld): Promise<void> {
  await world.services.close()
  for (const account of await world.services.secrets.accounts()) {
    await world.services.secrets.delete(account)
  }
  await world.fake.close()
  rmSync(world.dataDir, { recursive: true, force: true })
  rmSync(world.keysDir, { recursive: true, force: true })
}

/** An organisation at the fake with one API account, added to the app as a tenant. */
export async function addSyncTenant(
  world: SyncWorld,
  input: FakeOrgInput,
  name = 'Main office',
): Promise<SyncTenant> {
  const org = world.fake.addOrg(input)
  const client = newApiAccount(world, org)
  const credential = await world.services.vault.add({
    name,
    clientId: client.clientId,
    keyId: client.keyId,
    key: parsePrivateKey(client.privateKeyPem),
  })
  return { tenantId: credential.tenantId, credential, client, org }
}

/** A further API account of the organisation, as Apple issues one for a key rotation. */
export function newApiAccount(world: SyncWorld, org: FakeOrg): TestClient {
  const client = makeTestClient(world.keysDir, org.scope)
  org.addClient(client)
  return client
}

/**
 * The tenant's data as Apple gave it, in a fixed order: devices with their fields and inactive
 * flag, and coverage records. Sighting times (first/last seen, when coverage was checked) differ
 * between two runs by nature and are left out.
 */
export function appleData(
  dataDir: string,
  tenantId: string,
): { devices: unknown[]; coverage: unknown[] } {
  const db = new DatabaseSync(tenantDbPath(dataDir, tenantId), { readOnly: true })
  try {
    return {
      devices: db
        .prepare(
          `SELECT serial, make, model, family, product_type, capacity, color, status, order_number,
             order_date, part_number, purchase_source_type, purchase_source_id, added_to_org,
             released_from_org, updated_at, identifiers, inactive, coverage_outcome,
             best_coverage_end, best_coverage_description,
             (SELECT attributes FROM device_attributes a WHERE a.serial = d.serial) AS attributes
           FROM devices d ORDER BY serial`,
        )
        .all(),
      coverage: db
        .prepare(
          `SELECT serial, coverage_key, kind, description, agreement_id, status, payment_type,
             start_date, end_date, is_canceled, is_renewable, contract_cancel_date
           FROM coverage ORDER BY serial, coverage_key`,
        )
        .all(),
    }
  } finally {
    db.close()
  }
}

/** How many coverage records the fake holds for these devices (what a full sync must store). */
export function expectedCoverageRecords(input: FakeOrgInput): number {
  return Object.values(input.coverage ?? {}).reduce(
    (sum, coverage) => sum + (typeof coverage === 'object' ? coverage.records.length : 0),
    0,
  )
}
