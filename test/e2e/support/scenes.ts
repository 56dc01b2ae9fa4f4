// Scenes several specs start from, set up through the same handlers the page calls.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { tenantDbPath } from '../../../main/paths'
import type { Credential } from '../../../preload/model'
import { generateDevicesCsv } from '../../support/device-csv'
import type { TestClient } from '../../support/oauth-server'
import { encryptPkcs8, TEST_PASSPHRASE } from '../../support/openssl-keys'
import type { AppHarness } from './fixtures'

export interface SeededTenant {
  credential: Credential
  client: TestClient
}

/** A tenant whose credential Apple (the loopback OAuth server) knows, with `devices` devices. */
export async function seedTenant(
  app: AppHarness,
  name: string,
  devices = 0,
): Promise<SeededTenant> {
  const client = app.newClient()
  const credential = await app.call('addCredential', {
    name,
    clientId: client.clientId,
    keyId: client.keyId,
    key: { kind: 'text', text: client.privateKeyPem },
  })
  if (devices > 0) {
    const path = join(app.dir, `${credential.tenantId}.csv`)
    writeFileSync(path, generateDevicesCsv(devices, 2))
    app.dialogs.pickNext(path)
    await app.call('importDevicesCsv', { tenantId: credential.tenantId })
  }
  return { credential, client }
}

/**
 * Fills a tenant's database with `count` devices D0000000, D0000001, … (one model, coverage ends
 * over ten years) in one INSERT … SELECT over a recursive CTE: seconds instead of a minute of CSV.
 * The trigram index's triggers are set aside meanwhile and put back after (such tenants are not
 * searched); the generation triggers stay.
 */
export function fillDevices(app: AppHarness, tenantId: string, count: number): void {
  const db = new DatabaseSync(tenantDbPath(join(app.dir, 'data'), tenantId))
  try {
    const searchTriggers = db
      .prepare(
        `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'devices_search_%'`,
      )
      .all()
    db.exec('BEGIN')
    for (const { name } of searchTriggers) db.exec(`DROP TRIGGER ${String(name)}`)
    db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})
      INSERT INTO devices (serial, model, family, first_seen, last_seen, best_coverage_end,
        best_coverage_description)
      SELECT printf('D%07d', i), 'Mac mini (2023)', 'Mac', '2025-01-01', '2025-01-01',
        printf('%04d-06-30', 2020 + i % 10), 'AppleCare+' FROM n`)
    for (const { sql } of searchTriggers) db.exec(String(sql))
    db.exec('COMMIT')
  } finally {
    db.close()
  }
}

export interface ManagedEntryScene {
  id: string
  name: string
  client: TestClient
}

/** Writes the managed-preferences file the way an MDM would push it (JSON form). */
export function pushManaged(app: AppHarness, entries: ManagedEntryScene[]): void {
  const payload = entries.map(({ id, name, client }) => {
    const encrypted = encryptPkcs8(client.keyPath, join(app.dir, `${id}.enc.pem`))
    app.guard.protectKeyFile(encrypted, TEST_PASSPHRASE)
    return {
      id,
      name,
      clientId: client.clientId,
      keyId: client.keyId,
      privateKey: readFileSync(encrypted, 'utf8'),
    }
  })
  writeFileSync(app.managedPrefsPath, JSON.stringify({ ManagedCredentials: payload }), {
    mode: 0o644,
  })
}
