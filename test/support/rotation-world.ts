// A real setting for rotation tests, benches and the crash child: a data folder with the state file,
// the audit log and tenant databases, a keychain service of its own, and tenants added through the
// vault with keys made by openssl and devices imported from CSV.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Credential, Scope, TenantDataSnapshot } from '../../preload/model'
import { AuditLog } from '../../main/audit/audit-log'
import { oauthConfirmer } from '../../main/rotation/oauth-confirmer'
import { RotationEngine, type RotationEngineDeps } from '../../main/rotation/rotation-engine'
import { TenantDatabase } from '../../main/tenants/tenant-database'
import { TenantDatabases } from '../../main/tenants/tenant-databases'
import { parsePrivateKey, type ParsedPrivateKey } from '../../main/vault/private-key'
import { KeychainSecretStore } from '../../main/vault/secret-store'
import { FileStateStore } from '../../main/vault/state-store'
import { Vault } from '../../main/vault/vault'
import { generateDevicesCsv } from './device-csv'
import { makeP256Key } from './openssl-keys'

export interface RotationWorld {
  dataDir: string
  service: string
  keysDir: string
  state: FileStateStore
  secrets: KeychainSecretStore
  audit: AuditLog
  vault: Vault
}

export interface TestKey {
  path: string
  parsed: ParsedPrivateKey
}

/** `service` names the keychain service; give each test file its own. */
export function createRotationWorld(service: string, dataDir?: string): RotationWorld {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'axm-rotation-'))
  const state = new FileStateStore(dir)
  const secrets = new KeychainSecretStore(service)
  const audit = new AuditLog(dir)
  const vault = new Vault({ state, secrets, audit, tenantData: new TenantDatabases(dir) })
  const keysDir = mkdtempSync(join(tmpdir(), 'axm-rotation-keys-'))
  return { dataDir: dir, service, keysDir, state, secrets, audit, vault }
}

/** Deletes every keychain item of the world's service and its folders. */
export async function disposeRotationWorld(world: RotationWorld): Promise<void> {
  for (const account of await world.secrets.accounts()) await world.secrets.delete(account)
  rmSync(world.dataDir, { recursive: true, force: true })
  rmSync(world.keysDir, { recursive: true, force: true })
}

export function tenantSnapshot(dataDir: string, tenantId: string): TenantDataSnapshot {
  const db = TenantDatabase.open(dataDir, tenantId)
  try {
    return db.snapshot()
  } finally {
    db.close()
  }
}

/** An engine over the world; `overrides` swap in faulty stores, another confirmer, hooks. */
export function engineFor(
  world: RotationWorld,
  overrides: Partial<RotationEngineDeps> & { tokenUrl?: string } = {},
): RotationEngine {
  const { tokenUrl, ...deps } = overrides
  return new RotationEngine({
    state: world.state,
    secrets: world.secrets,
    audit: world.audit,
    tenantSnapshot: (tenantId) => tenantSnapshot(world.dataDir, tenantId),
    confirmer: oauthConfirmer(tokenUrl ?? 'http://127.0.0.1:9/unused'),
    ...deps,
  })
}

export function newKey(world: RotationWorld): TestKey {
  const path = makeP256Key(world.keysDir, `${randomUUID()}.pem`)
  return { path, parsed: parsePrivateKey(readFileSync(path, 'utf8')) }
}

export function newClientId(scope: Scope = 'business'): string {
  return `${scope === 'school' ? 'SCHOOLAPI' : 'BUSINESSAPI'}.${randomUUID()}`
}

export interface SeededTenant {
  credential: Credential
  key: TestKey
  tenantId: string
}

/** A tenant with one active credential and `devices` devices of `coverage` records each. */
export async function seedTenant(
  world: RotationWorld,
  options: { name?: string; scope?: Scope; devices?: number; coverage?: number } = {},
): Promise<SeededTenant> {
  const key = newKey(world)
  const credential = await world.vault.add({
    name: options.name ?? 'Main office',
    clientId: newClientId(options.scope),
    keyId: randomUUID(),
    key: key.parsed,
  })
  const db = TenantDatabase.open(world.dataDir, credential.tenantId)
  try {
    db.importCsv(generateDevicesCsv(options.devices ?? 25, options.coverage ?? 3))
  } finally {
    db.close()
  }
  return { credential, key, tenantId: credential.tenantId }
}
