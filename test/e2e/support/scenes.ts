// Scenes several specs start from, set up through the same handlers the page calls.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Credential } from '../../../preload/model'
import { generateDevicesCsv } from '../../support/device-csv'
import type { TestClient } from '../../support/oauth-server'
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
