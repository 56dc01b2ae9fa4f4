// Ids come from the renderer and the command line. Names of JavaScript's own object properties
// must be unknown ids like any other, never resolve to Object's internals.
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VaultError } from '../../../main/vault/errors'
import { KeychainSecretStore } from '../../../main/vault/secret-store'
import { useSandbox } from './support/sandbox'

const sandbox = useSandbox()

const INTERNAL_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty']

async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run()
  } catch (error) {
    if (error instanceof VaultError) return error.code
    throw error
  }
  throw new Error('expected a VaultError, got success')
}

describe('ids that name JavaScript internals', () => {
  it.each(INTERNAL_NAMES)('are not found as a credential or tenant: %s', async (id) => {
    const acme = await sandbox.vault.add({
      name: 'Acme Corp',
      clientId: `BUSINESSAPI.${randomUUID()}`,
      keyId: randomUUID(),
      key: sandbox.newKey(),
    })
    const before = sandbox.writtenText()
    const vault = sandbox.vault
    expect(await codeOf(() => vault.get(id))).toBe('not_found')
    expect(await codeOf(() => vault.find(id))).toBe('not_found')
    expect(await codeOf(() => vault.tenant(id))).toBe('not_found')
    expect(await codeOf(() => vault.rename(id, 'Renamed'))).toBe('not_found')
    expect(await codeOf(() => vault.remove(id, { tenantData: 'delete' }))).toBe('not_found')
    expect(await codeOf(() => vault.secretPem(id))).toBe('not_found')
    const check = { at: new Date().toISOString(), ok: true, message: 'ok' }
    expect(await codeOf(() => vault.recordCheck(id, check))).toBe('not_found')
    expect(sandbox.writtenText()).toBe(before)
    expect(vault.list()).toEqual([acme])
  })

  it.each(INTERNAL_NAMES)('are not a tenant to re-attach a new credential to: %s', async (id) => {
    const error = await sandbox.vault
      .add({
        name: 'Acme Corp',
        clientId: `BUSINESSAPI.${randomUUID()}`,
        keyId: randomUUID(),
        key: sandbox.newKey(),
        tenantId: id,
      })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(VaultError)
    expect((error as VaultError).code).toBe('not_found')
    expect(existsSync(join(sandbox.dataDir, 'config.json'))).toBe(false)
    expect(existsSync(join(sandbox.dataDir, 'tenants'))).toBe(false)
    expect(readdirSync(sandbox.dataDir).filter((name) => name !== 'config.lock')).toEqual([])
    expect(await new KeychainSecretStore(sandbox.service).accounts()).toEqual([])
  })
})
