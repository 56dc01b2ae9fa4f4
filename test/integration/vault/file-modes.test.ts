// The data folder holds the credential list and the audit log: only its owner may read them, also
// when the folder and the state file were made earlier with wider modes.
import { randomUUID } from 'node:crypto'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../../../main/audit/audit-log'
import { parsePrivateKey } from '../../../main/vault/private-key'
import { emptyState } from '../../../main/vault/state-store'
import { makeP256Key } from '../../support/openssl-keys'
import { clearKeychain, openVault, uniqueKeychainService } from './support/vault-fixture'

let parent: string
let service: string

beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'axm-modes-'))
  service = uniqueKeychainService()
})

afterEach(async () => {
  await clearKeychain(service)
  rmSync(parent, { recursive: true, force: true })
})

const modeOf = (path: string): number => statSync(path).mode & 0o777

async function addCredential(dataDir: string): Promise<void> {
  const keyFile = makeP256Key(parent, `${randomUUID()}.pem`)
  await openVault(dataDir, service).add({
    name: 'Acme Corp',
    clientId: `BUSINESSAPI.${randomUUID()}`,
    keyId: randomUUID(),
    key: parsePrivateKey(readFileSync(keyFile)),
  })
}

function expectPrivate(dataDir: string): void {
  expect(modeOf(dataDir)).toBe(0o700)
  expect(modeOf(join(dataDir, 'config.json'))).toBe(0o600)
  expect(modeOf(new AuditLog(dataDir).path)).toBe(0o600)
}

describe('file modes of the data folder', () => {
  it('makes a new folder, the state file and the audit log private to the user', async () => {
    const dataDir = join(parent, 'data', 'AxM')
    await addCredential(dataDir)
    expectPrivate(dataDir)
  })

  it('narrows a folder and a state file that others could read', async () => {
    const dataDir = join(parent, 'AxM')
    mkdirSync(dataDir)
    chmodSync(dataDir, 0o755)
    const configPath = join(dataDir, 'config.json')
    writeFileSync(configPath, JSON.stringify(emptyState()))
    chmodSync(configPath, 0o644)
    await addCredential(dataDir)
    expectPrivate(dataDir)
  })
})
