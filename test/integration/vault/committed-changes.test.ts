// Once a change is committed to the state file, what follows it (the audit entry, deleting the
// tenant's data file) can still fail. The change must then be reported as it is: done.
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuditLog } from '../../../main/audit/audit-log'
import { tenantDbPath } from '../../../main/paths'
import { VaultError } from '../../../main/vault/errors'
import { KeychainSecretStore } from '../../../main/vault/secret-store'
import { useSandbox } from './support/sandbox'
import { fileTenantData, openVault } from './support/vault-fixture'

const sandbox = useSandbox()

const fields = (name = 'Acme Corp') => ({
  name,
  clientId: `BUSINESSAPI.${randomUUID()}`,
  keyId: randomUUID(),
  key: sandbox.newKey(),
})

afterEach(() => {
  vi.restoreAllMocks()
})

describe('an audit write that fails after the change was committed', () => {
  it('does not fail the change, and logs only the error name', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    // A log in a folder that is not there: every append fails with ENOENT.
    const audit = new AuditLog(join(sandbox.dataDir, 'gone'))
    const vault = openVault(sandbox.dataDir, sandbox.service, { audit })

    const added = await vault.add(fields())
    const renamed = await vault.rename(added.id, 'Acme Inc')
    const check = { at: new Date().toISOString(), ok: true, message: 'ok' }
    await vault.recordCheck(added.id, check)
    const removed = await vault.remove(added.id, { tenantData: 'delete', confirmName: 'Acme Corp' })

    expect(renamed.name).toBe('Acme Inc')
    expect(removed).toEqual({ tenantRemoved: true, dataDeleted: true })
    expect(vault.list()).toEqual([])
    expect(await new KeychainSecretStore(sandbox.service).accounts()).toEqual([])
    const logged = consoleError.mock.calls.map((call) => call.join(' '))
    expect(logged).toEqual([
      'The audit entry credential.added could not be written (Error).',
      'The audit entry credential.renamed could not be written (Error).',
      'The audit entry check.passed could not be written (Error).',
      'The audit entry credential.removed could not be written (Error).',
      'The audit entry tenant.removed could not be written (Error).',
    ])
    // The data is gone; the entry that says so is written by the next start that can write it.
    expect(existsSync(tenantDbPath(sandbox.dataDir, added.tenantId))).toBe(false)
    expect(await openVault(sandbox.dataDir, sandbox.service).recover()).toEqual([
      { tenantId: added.tenantId, action: 'finished' },
    ])
    expect(new AuditLog(sandbox.dataDir).list({ kind: 'tenant.removed' })).toHaveLength(1)
  })
})

describe('a tenant data file that cannot be deleted', () => {
  it('says the credential and tenant are gone and names the file to delete by hand', async () => {
    const files = fileTenantData(sandbox.dataDir)
    const vault = openVault(sandbox.dataDir, sandbox.service, {
      tenantData: {
        ...files,
        remove: () => {
          throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' })
        },
      },
    })
    const credential = await vault.add(fields())
    const path = tenantDbPath(sandbox.dataDir, credential.tenantId)

    const error = await vault
      .remove(credential.id, { tenantData: 'delete', confirmName: 'Acme Corp' })
      .catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(VaultError)
    expect((error as VaultError).code).toBe('internal')
    expect((error as VaultError).message).toBe(
      `The credential and the tenant "Acme Corp" were removed, but its device data file could not be deleted yet ` +
        `(another program may have it open). It is deleted the next time AxM Credential Manager starts; if it stays, delete ${path} by hand.`,
    )
    expect(vault.list()).toEqual([])
    expect(vault.tenants()).toEqual([])
    expect(await new KeychainSecretStore(sandbox.service).accounts()).toEqual([])
    expect(existsSync(path)).toBe(true)
    expect(new AuditLog(sandbox.dataDir).list({ kind: 'tenant.removed' })).toEqual([])

    expect(await openVault(sandbox.dataDir, sandbox.service).recover()).toEqual([
      { tenantId: credential.tenantId, action: 'finished' },
    ])
    expect(existsSync(path)).toBe(false)
    expect(new AuditLog(sandbox.dataDir).list({ kind: 'tenant.removed' })).toMatchObject([
      { tenantId: credential.tenantId, summary: 'Removed tenant "Acme Corp" and deleted its data' },
    ])
  })
})
