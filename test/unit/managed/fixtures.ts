// Managed-payload entries for tests: keys made by the openssl command line, encrypted the way
// DESIGN.md tells admins to, with fresh Client IDs so entries never collide in the vault.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  encryptPkcs8,
  makeP256Key,
  makePkcs12,
  opensslFingerprint,
  TEST_PASSPHRASE,
} from '../../support/openssl-keys'

export { TEST_PASSPHRASE }

/** Low enough for a fast suite; the 600,000-iteration path has its own tests. */
export const FAST_ITERATIONS = 1_000

export interface EntryKey {
  /** The unencrypted PKCS#8 file. */
  path: string
  encryptedPem: string
  fingerprint: string
}

export function tempDir(prefix = 'axm-managed-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function makeEntryKey(dir: string, iterations = FAST_ITERATIONS): EntryKey {
  const name = randomUUID()
  const path = makeP256Key(dir, `${name}.pem`)
  const encrypted = encryptPkcs8(path, join(dir, `${name}.enc.pem`), TEST_PASSPHRASE, iterations)
  return {
    path,
    encryptedPem: readFileSync(encrypted, 'utf8'),
    fingerprint: opensslFingerprint(path),
  }
}

export function pkcs12Of(key: EntryKey): Buffer {
  return readFileSync(makePkcs12(key.path, `${key.path}.p12`))
}

export const businessClientId = (): string => `BUSINESSAPI.${randomUUID()}`
export const schoolClientId = (): string => `SCHOOLAPI.${randomUUID()}`

/** A valid entry dictionary; `overrides` replace or (with undefined) remove fields. */
export function entryFor(
  id: string,
  key: EntryKey,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id,
    name: `Tenant ${id}`,
    clientId: businessClientId(),
    keyId: randomUUID(),
    privateKey: key.encryptedPem,
    ...overrides,
  }
  for (const [field, value] of Object.entries(entry)) if (value === undefined) delete entry[field]
  return entry
}
