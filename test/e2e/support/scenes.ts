// Scenes several specs start from, set up through the same handlers the page calls.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
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
