// Per-test surroundings for the vault integration tests: a temporary data folder, a keychain
// service of its own, fresh openssl keys, and a check after each test that no key material was
// written to the state file or the audit log.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect } from 'vitest'
import { parsePrivateKey, type ParsedPrivateKey } from '../../../../main/vault/private-key'
import type { Vault } from '../../../../main/vault/vault'
import { makeP256Key } from '../../../support/openssl-keys'
import { clearKeychain, openVault, uniqueKeychainService } from './vault-fixture'

/** A temporary data folder and keychain service per test, checked for leaked key material after. */
export interface Sandbox {
  dataDir: string
  service: string
  vault: Vault
  /** A new P-256 key made by openssl, as the path of its PEM file. */
  newKeyFile(): string
  /** A new P-256 key made by openssl, parsed. */
  newKey(): ParsedPrivateKey
  /** Every file the vault writes in the data folder, concatenated. */
  writtenText(): string
}

export function useSandbox(): Sandbox {
  const sandbox = {} as Sandbox
  let keyDir = ''
  let keys = 0
  const pemBodies: string[] = []

  beforeEach(() => {
    sandbox.dataDir = mkdtempSync(join(tmpdir(), 'axm-vault-'))
    sandbox.service = uniqueKeychainService()
    sandbox.vault = openVault(sandbox.dataDir, sandbox.service)
    keyDir = mkdtempSync(join(tmpdir(), 'axm-vault-keys-'))
  })

  sandbox.newKeyFile = () => {
    const path = makeP256Key(keyDir, `key-${(keys += 1)}.pem`)
    pemBodies.push(readFileSync(path, 'utf8').split('\n')[2] ?? '')
    return path
  }
  sandbox.newKey = () => parsePrivateKey(readFileSync(sandbox.newKeyFile()))
  sandbox.writtenText = () =>
    ['config.json', 'audit.jsonl']
      .map((name) => join(sandbox.dataDir, name))
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n')

  afterEach(async () => {
    const written = sandbox.writtenText()
    await clearKeychain(sandbox.service)
    rmSync(sandbox.dataDir, { recursive: true, force: true })
    rmSync(keyDir, { recursive: true, force: true })
    expect(written).not.toContain('-----BEGIN')
    for (const body of pemBodies.splice(0)) expect(written).not.toContain(body)
  })
  return sandbox
}
