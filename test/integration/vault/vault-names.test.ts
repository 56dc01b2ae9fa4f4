// The tenant's own name, apart from its credentials' names, and the admin's record that an old key
// was revoked at Apple: both on the real state file and audit log.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { AuditLog } from '../../../main/audit/audit-log'
import { VaultError } from '../../../main/vault/errors'
import { FileStateStore } from '../../../main/vault/state-store'
import type { Credential } from '../../../preload/model'
import { rejectionOf } from '../../support/rejection'
import { useSandbox } from './support/sandbox'

const sandbox = useSandbox()

const addActive = (name = 'Acme Corp'): Promise<Credential> =>
  sandbox.vault.add({
    name,
    clientId: `BUSINESSAPI.${randomUUID()}`,
    keyId: randomUUID(),
    key: sandbox.newKey(),
  })

const audit = () => new AuditLog(sandbox.dataDir).list()

describe('Vault.renameTenant', () => {
  it('renames the tenant only, trimmed, and records both names', async () => {
    const credential = await addActive('Acme key 2025')
    const renamed = await sandbox.vault.renameTenant(credential.tenantId, '  Acme Corporation ')
    expect(renamed.name).toBe('Acme Corporation')
    expect(sandbox.vault.tenant(credential.tenantId).name).toBe('Acme Corporation')
    expect(sandbox.vault.get(credential.id).name).toBe('Acme key 2025')
    expect(audit()[0]).toMatchObject({
      kind: 'tenant.renamed',
      tenantId: credential.tenantId,
      summary: 'Renamed tenant "Acme key 2025" to "Acme Corporation"',
      details: { from: 'Acme key 2025', to: 'Acme Corporation' },
    })
  })

  it('refuses an empty name or an unknown tenant and changes nothing', async () => {
    const credential = await addActive()
    const before = new FileStateStore(sandbox.dataDir).read()
    const empty = await rejectionOf(
      sandbox.vault.renameTenant(credential.tenantId, '  '),
      VaultError,
    )
    expect(empty.message).toMatch(/Name is required/)
    const unknown = await rejectionOf(sandbox.vault.renameTenant('no-such', 'X'), VaultError)
    expect(unknown.code).toBe('not_found')
    expect(new FileStateStore(sandbox.dataDir).read()).toEqual(before)
    expect(audit().map((e) => e.kind)).toEqual(['credential.added'])
  })
})

describe('Vault.markKeyRevoked', () => {
  it('records a retired credential’s key as revoked, and refuses a live one', async () => {
    const active = await addActive()
    const retired: Credential = { ...active, id: randomUUID(), status: 'retired' }
    await new FileStateStore(sandbox.dataDir).update((state) => {
      state.credentials[retired.id] = retired
    })
    expect(() => sandbox.vault.markKeyRevoked(active.id)).toThrow(/still in use/)
    expect(audit()).toHaveLength(1)
    sandbox.vault.markKeyRevoked(retired.id)
    expect(audit()[0]).toMatchObject({
      kind: 'key.revoked',
      credentialId: retired.id,
      details: { keyId: retired.keyId, clientId: retired.clientId },
    })
  })
})

describe('Vault.openingTenant', () => {
  it('is the tenant last opened while it exists, else the first by name', async () => {
    expect(sandbox.vault.openingTenant()).toBeUndefined()
    const zulu = await addActive('Zulu Academy')
    const alpha = await addActive('Alpha Corp')
    expect(sandbox.vault.openingTenant()?.id).toBe(alpha.tenantId)
    const entries = audit().length
    await sandbox.vault.rememberOpenedTenant(zulu.tenantId)
    expect(sandbox.vault.openingTenant()?.id).toBe(zulu.tenantId)
    // A preference of the app's, not a change to a credential: nothing for the audit log.
    expect(audit()).toHaveLength(entries)
    // Another process (the CLI, the next start of the app) reads it from the state file.
    expect(new FileStateStore(sandbox.dataDir).read().openedTenantId).toBe(zulu.tenantId)

    const unknown = await rejectionOf(sandbox.vault.rememberOpenedTenant('no-such'), VaultError)
    expect(unknown.code).toBe('not_found')
    expect(sandbox.vault.openingTenant()?.id).toBe(zulu.tenantId)

    await sandbox.vault.remove(zulu.id, { tenantData: 'delete', confirmName: 'Zulu Academy' })
    expect(sandbox.vault.openingTenant()?.id).toBe(alpha.tenantId)
  })
})
