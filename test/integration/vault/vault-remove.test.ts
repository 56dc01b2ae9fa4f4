import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AuditLog } from '../../../main/audit/audit-log'
import { tenantDbPath } from '../../../main/paths'
import { VaultError } from '../../../main/vault/errors'
import { KeychainSecretStore } from '../../../main/vault/secret-store'
import { FileStateStore } from '../../../main/vault/state-store'
import type { Credential, CredentialStatus } from '../../../preload/model'
import { useSandbox } from './support/sandbox'
import { rejectionOf } from '../../support/rejection'

const sandbox = useSandbox()

async function addActive(name = 'Acme Corp'): Promise<Credential> {
  return sandbox.vault.add({
    name,
    clientId: `BUSINESSAPI.${randomUUID()}`,
    keyId: randomUUID(),
    key: sandbox.newKey(),
  })
}

/** A record of the tenant as a rotation leaves it behind (retired) or stages it (pending). */
async function addRecord(tenantOf: Credential, status: CredentialStatus): Promise<Credential> {
  const record: Credential = {
    ...tenantOf,
    id: randomUUID(),
    name: `${tenantOf.name} (${status})`,
    clientId: `BUSINESSAPI.${randomUUID()}`,
    publicKeyFingerprint: sandbox.newKey().publicKeyFingerprint,
    status,
  }
  await new FileStateStore(sandbox.dataDir).update((state) => {
    state.credentials[record.id] = record
  })
  return record
}

const refusal = (run: () => Promise<unknown>) => rejectionOf(run(), VaultError)

const keychain = () => new KeychainSecretStore(sandbox.service)

describe('Vault.remove', () => {
  it('drops a retired credential record and leaves the tenant alone', async () => {
    const active = await addActive()
    const retired = await addRecord(active, 'retired')
    expect(await sandbox.vault.remove(retired.id)).toEqual({
      tenantRemoved: false,
      dataDeleted: false,
    })
    expect(sandbox.vault.list().map((c) => c.id)).toEqual([active.id])
    expect(sandbox.vault.tenants()[0]?.activeCredentialId).toBe(active.id)
    expect(new AuditLog(sandbox.dataDir).list({ kind: 'credential.removed' })).toHaveLength(1)
  })

  it('asks what to do with the data when removing a tenant’s last credential', async () => {
    const active = await addActive()
    const before = sandbox.writtenText()
    const error = await refusal(() => sandbox.vault.remove(active.id))
    expect(error.code).toBe('tenant_data_decision_required')
    expect(error.message).toMatch(/last credential of "Acme Corp".*keep.*or to delete it/)
    expect(sandbox.writtenText()).toBe(before)
    expect(await keychain().accounts()).toEqual([active.id])
  })

  it('keeps the tenant and its data, without a credential, when told to keep', async () => {
    const active = await addActive()
    expect(await sandbox.vault.remove(active.id, { tenantData: 'keep' })).toEqual({
      tenantRemoved: false,
      dataDeleted: false,
    })
    expect(sandbox.vault.list()).toEqual([])
    expect(sandbox.vault.tenants()).toEqual([
      expect.objectContaining({ id: active.tenantId, activeCredentialId: null }),
    ])
    expect(existsSync(tenantDbPath(sandbox.dataDir, active.tenantId))).toBe(true)
    expect(await keychain().accounts()).toEqual([])
  })

  it('deletes nothing when the typed tenant name does not match exactly', async () => {
    const active = await addActive()
    const before = sandbox.writtenText()
    for (const confirmName of [undefined, 'acme corp', 'Acme Corp ']) {
      const error = await refusal(() =>
        sandbox.vault.remove(active.id, { tenantData: 'delete', confirmName }),
      )
      expect(error.code).toBe('confirmation_mismatch')
    }
    expect(sandbox.writtenText()).toBe(before)
    expect(existsSync(tenantDbPath(sandbox.dataDir, active.tenantId))).toBe(true)
    expect(await keychain().accounts()).toEqual([active.id])
  })

  it('deletes the tenant, its retired records, its data and its key when confirmed', async () => {
    const other = await addActive('Other Org')
    const active = await addActive()
    await addRecord(active, 'retired')
    expect(
      await sandbox.vault.remove(active.id, { tenantData: 'delete', confirmName: 'Acme Corp' }),
    ).toEqual({ tenantRemoved: true, dataDeleted: true })
    expect(sandbox.vault.list()).toEqual([other])
    expect(sandbox.vault.tenants().map((t) => t.name)).toEqual(['Other Org'])
    expect(existsSync(tenantDbPath(sandbox.dataDir, active.tenantId))).toBe(false)
    expect(existsSync(tenantDbPath(sandbox.dataDir, other.tenantId))).toBe(true)
    expect(await keychain().accounts()).toEqual([other.id])
    expect(new AuditLog(sandbox.dataDir).list({ tenantId: active.tenantId })).toMatchObject([
      { kind: 'tenant.removed' },
      { kind: 'credential.removed', details: { tenantData: 'delete' } },
      { kind: 'credential.added' },
    ])
  })

  it('leaves a pending credential to the rotation that staged it', async () => {
    const active = await addActive()
    const pending = await addRecord(active, 'pending')
    expect((await refusal(() => sandbox.vault.remove(pending.id))).code).toBe('busy')
    const error = await refusal(() =>
      sandbox.vault.remove(active.id, { tenantData: 'delete', confirmName: 'Acme Corp' }),
    )
    expect(error.code).toBe('busy')
    expect(sandbox.vault.list()).toHaveLength(2)
  })

  it('says not_found for an unknown credential', async () => {
    expect((await refusal(() => sandbox.vault.remove('no-such-id'))).code).toBe('not_found')
  })
})
