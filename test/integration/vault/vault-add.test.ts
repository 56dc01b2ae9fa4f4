import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AuditLog } from '../../../main/audit/audit-log'
import { tenantDbPath } from '../../../main/paths'
import { KeychainUnavailableError, VaultError } from '../../../main/vault/errors'
import { KeychainSecretStore, type SecretStore } from '../../../main/vault/secret-store'
import { FileStateStore, type StateStore } from '../../../main/vault/state-store'
import { useSandbox } from './support/sandbox'
import { openVault } from './support/vault-fixture'
import { rejectionOf } from '../../support/rejection'

const sandbox = useSandbox()

const business = () => `BUSINESSAPI.${randomUUID()}`
const school = () => `SCHOOLAPI.${randomUUID()}`

function fields(name = 'Acme Corp') {
  return { name, clientId: business(), keyId: randomUUID(), key: sandbox.newKey() }
}

const refusal = (run: () => Promise<unknown>) => rejectionOf(run(), VaultError)

/**
 * Everything a failed operation must leave as it was. The state as read, not the file's bytes: an
 * add writes its intent before the keychain and clears it again when it fails.
 */
async function snapshot() {
  const tenantsDir = join(sandbox.dataDir, 'tenants')
  return {
    state: new FileStateStore(sandbox.dataDir).read(),
    tenantFiles: existsSync(tenantsDir) ? readdirSync(tenantsDir).sort() : [],
    keychain: (await new KeychainSecretStore(sandbox.service).accounts()).sort(),
    audit: new AuditLog(sandbox.dataDir).list().length,
  }
}

describe('Vault.add', () => {
  it('keeps the key in the keychain, the record in the state file, and makes the tenant', async () => {
    const input = fields()
    const credential = await sandbox.vault.add({ ...input, name: '  Acme Corp  ' })

    expect(credential).toMatchObject({
      name: 'Acme Corp',
      clientId: input.clientId,
      keyId: input.keyId,
      scope: 'business',
      status: 'active',
      origin: 'manual',
      publicKeyFingerprint: input.key.publicKeyFingerprint,
    })
    expect(sandbox.vault.list()).toEqual([credential])
    expect(sandbox.vault.tenants()).toEqual([
      {
        id: credential.tenantId,
        name: 'Acme Corp',
        scope: 'business',
        activeCredentialId: credential.id,
        createdAt: credential.createdAt,
      },
    ])
    expect(sandbox.vault.tenant(credential.tenantId).activeCredentialId).toBe(credential.id)
    expect(() => sandbox.vault.tenant('no-such-tenant')).toThrow(/No tenant has the id/)
    expect(existsSync(tenantDbPath(sandbox.dataDir, credential.tenantId))).toBe(true)
    expect(await new KeychainSecretStore(sandbox.service).get(credential.id)).toBe(
      input.key.pkcs8Pem,
    )
    expect(await sandbox.vault.secretPem(credential.id)).toBe(input.key.pkcs8Pem)
    // A second process reading the same folder sees the same record.
    expect(new FileStateStore(sandbox.dataDir).read().credentials[credential.id]).toEqual(
      credential,
    )
    expect(new AuditLog(sandbox.dataDir).list()).toMatchObject([
      { kind: 'credential.added', credentialId: credential.id, tenantId: credential.tenantId },
    ])
  })

  it('takes the scope from a SCHOOLAPI Client ID and keeps managed fields', async () => {
    const credential = await sandbox.vault.add({
      ...fields('District'),
      clientId: school(),
      origin: 'managed',
      managedId: 'district-1',
      managedRevision: 3,
    })
    expect(credential).toMatchObject({
      scope: 'school',
      origin: 'managed',
      managedId: 'district-1',
      managedRevision: 3,
    })
    expect(sandbox.vault.tenants()[0]?.scope).toBe('school')
  })

  it('refuses a duplicate Client ID, naming the credential that has it, and changes nothing', async () => {
    const first = await sandbox.vault.add(fields('Acme Corp'))
    const before = await snapshot()
    const error = await refusal(() =>
      sandbox.vault.add({ ...fields('Acme again'), clientId: ` ${first.clientId.toUpperCase()} ` }),
    )
    expect(error.code).toBe('duplicate_client_id')
    expect(error.message).toBe('This Client ID is already used by the credential "Acme Corp".')
    expect(await snapshot()).toEqual(before)
  })

  it('refuses a key another credential already uses', async () => {
    const first = fields('Acme Corp')
    await sandbox.vault.add(first)
    const before = await snapshot()
    const error = await refusal(() => sandbox.vault.add({ ...fields('Other'), key: first.key }))
    expect(error.code).toBe('key_invalid')
    expect(error.message).toMatch(/already used by the credential "Acme Corp"/)
    expect(await snapshot()).toEqual(before)
  })

  it('refuses malformed fields and a scope that contradicts the Client ID', async () => {
    const before = await snapshot()
    const cases = [
      { ...fields(), clientId: 'BUSINESSAPI.not-a-uuid' },
      { ...fields(), keyId: 'abc' },
      { ...fields(''), name: '   ' },
      { ...fields(), scope: 'school' as const },
    ]
    const errors = await Promise.all(cases.map((input) => refusal(() => sandbox.vault.add(input))))
    expect(errors.map((e) => e.code)).toEqual(Array(4).fill('invalid_input'))
    expect(errors.map((e) => e.message)).toEqual([
      'Client ID looks like BUSINESSAPI.<uuid> or SCHOOLAPI.<uuid>',
      'Key ID is a UUID',
      'Name is required',
      'This Client ID was issued by Apple Business Manager (business), not Apple School Manager (school).',
    ])
    expect(await snapshot()).toEqual(before)
  })

  it('records nothing when the keychain write fails', async () => {
    const real = new KeychainSecretStore(sandbox.service)
    const refusing: SecretStore = {
      set: () => Promise.reject(new KeychainUnavailableError()),
      get: (account) => real.get(account),
      delete: (account) => real.delete(account),
      accounts: () => real.accounts(),
    }
    const vault = openVault(sandbox.dataDir, sandbox.service, { secrets: refusing })
    const before = await snapshot()
    const error = await refusal(() => vault.add(fields()))
    expect(error).toBeInstanceOf(KeychainUnavailableError)
    expect(error.message).toMatch(/^The system keychain is not available/)
    expect(await snapshot()).toEqual(before)
    expect(vault.list()).toEqual([])
  })

  it('deletes the keychain item and the new tenant data again when the record write fails', async () => {
    const real = new FileStateStore(sandbox.dataDir)
    let updates = 0
    // The first update writes the add's intent, the second the record.
    const diskFull: StateStore = {
      path: real.path,
      read: () => real.read(),
      update: (change) =>
        (updates += 1) === 2
          ? Promise.reject(new Error('ENOSPC: no space left on device'))
          : real.update(change),
    }
    const vault = openVault(sandbox.dataDir, sandbox.service, { state: diskFull })
    const before = await snapshot()
    await expect(vault.add(fields())).rejects.toThrow('ENOSPC')
    expect(await snapshot()).toEqual(before)
  })

  it('re-attaches a new credential to a tenant whose data was kept', async () => {
    const first = await sandbox.vault.add(fields('Acme Corp'))
    await sandbox.vault.remove(first.id, { tenantData: 'keep' })

    const wrongScope = await refusal(() =>
      sandbox.vault.add({ ...fields(), clientId: school(), tenantId: first.tenantId }),
    )
    expect(wrongScope.message).toMatch(/is a business tenant/)
    const unknown = await refusal(() => sandbox.vault.add({ ...fields(), tenantId: 'no-such' }))
    expect(unknown.code).toBe('not_found')

    const second = await sandbox.vault.add({ ...fields('Acme 2026'), tenantId: first.tenantId })
    expect(second.tenantId).toBe(first.tenantId)
    expect(sandbox.vault.tenants()).toEqual([
      expect.objectContaining({
        id: first.tenantId,
        name: 'Acme Corp',
        activeCredentialId: second.id,
      }),
    ])
    const taken = await refusal(() => sandbox.vault.add({ ...fields(), tenantId: first.tenantId }))
    expect(taken.message).toMatch(/already has a credential/)
  })
})

describe('Vault.rename, find, recordCheck, secretPem', () => {
  it('renames and audits it', async () => {
    const credential = await sandbox.vault.add(fields('Acme'))
    const renamed = await sandbox.vault.rename(credential.id, ' Acme Corp ')
    expect(renamed.name).toBe('Acme Corp')
    expect(sandbox.vault.get(credential.id).name).toBe('Acme Corp')
    expect(new AuditLog(sandbox.dataDir).list({ kind: 'credential.renamed' })).toMatchObject([
      { credentialId: credential.id, details: { from: 'Acme', to: 'Acme Corp' } },
    ])
    expect((await refusal(() => sandbox.vault.rename(credential.id, ''))).code).toBe(
      'invalid_input',
    )
  })

  it('refuses to rename a managed credential by hand', async () => {
    const credential = await sandbox.vault.add({ ...fields('Managed'), origin: 'managed' })
    const error = await refusal(() => sandbox.vault.rename(credential.id, 'Mine now'))
    expect(error.code).toBe('invalid_input')
    expect(error.message).toMatch(/managed by your organization/)
    expect(sandbox.vault.get(credential.id).name).toBe('Managed')
  })

  it('finds by id or by unique name, and says when a name is ambiguous or unknown', async () => {
    const acme = await sandbox.vault.add(fields('Acme'))
    await sandbox.vault.add(fields('Twin'))
    await sandbox.vault.add(fields('Twin'))
    expect(sandbox.vault.find(acme.id)).toEqual(acme)
    expect(sandbox.vault.find('Acme')).toEqual(acme)
    expect(() => sandbox.vault.find('Twin')).toThrow(/2 credentials are named "Twin"/)
    expect(() => sandbox.vault.find('Nobody')).toThrow(VaultError)
    expect(() => sandbox.vault.get('nope')).toThrow(/No credential has the id nope/)
  })

  it('records a connection check on the credential and in the audit log', async () => {
    const credential = await sandbox.vault.add(fields())
    const check = { at: new Date().toISOString(), ok: false, message: 'invalid_client' }
    expect((await sandbox.vault.recordCheck(credential.id, check)).lastCheck).toEqual(check)
    expect(sandbox.vault.get(credential.id).lastCheck).toEqual(check)
    expect(new AuditLog(sandbox.dataDir).list({ kind: 'check.failed' })).toHaveLength(1)
  })

  it('says so when a key is missing from the keychain', async () => {
    const credential = await sandbox.vault.add(fields('Acme'))
    await new KeychainSecretStore(sandbox.service).delete(credential.id)
    const error = await refusal(() => sandbox.vault.secretPem(credential.id))
    expect(error.code).toBe('not_found')
    expect(error.message).toMatch(/private key of "Acme" is missing from the system keychain/)
  })
})
