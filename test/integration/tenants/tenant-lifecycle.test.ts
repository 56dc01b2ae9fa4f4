import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tenantDbPath } from '../../../main/paths'
import { TenantDatabaseError } from '../../../main/tenants/errors'
import {
  createTenantDatabase,
  deleteTenantDatabase,
  TenantDatabase,
  tenantDatabasePath,
} from '../../../main/tenants/tenant-database'
import { TenantDatabases } from '../../../main/tenants/tenant-databases'
import { useTenantDataDir } from './support/tenant-fixture'

describe('tenant database files', () => {
  const tenants = useTenantDataDir()

  it('creates an empty database for a new tenant', () => {
    createTenantDatabase(tenants.dataDir(), 'new-tenant')
    expect(existsSync(tenantDbPath(tenants.dataDir(), 'new-tenant'))).toBe(true)
    expect(tenants.open('new-tenant').snapshot()).toMatchObject({ devices: 0, coverage: 0 })
  })

  it('makes the database and its WAL and shared-memory files private to the user', () => {
    const db = tenants.open('private')
    db.importCsv('Serial\nA1\n')
    const path = tenantDbPath(tenants.dataDir(), 'private')
    const files = [path, `${path}-wal`, `${path}-shm`]
    expect(files.map((file) => statSync(file).mode & 0o777)).toEqual([0o600, 0o600, 0o600])

    db.close()
    chmodSync(path, 0o644)
    TenantDatabase.open(tenants.dataDir(), 'private').close()
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('deletes the database with its WAL and shared-memory files, and only that tenant’s', () => {
    const doomed = tenants.open('doomed')
    doomed.importCsv('Serial\nA1\n')
    tenants.open('kept').importCsv('Serial\nB2\n')
    const folder = dirname(tenantDbPath(tenants.dataDir(), 'doomed'))
    expect(readdirSync(folder)).toContain('doomed.sqlite-wal')
    doomed.close()
    deleteTenantDatabase(tenants.dataDir(), 'doomed')
    expect(readdirSync(folder).filter((name) => name.startsWith('doomed'))).toEqual([])
    expect(tenants.open('kept').snapshot().devices).toBe(1)
  })

  it('deleting a tenant that has no database is not an error', () => {
    expect(() => deleteTenantDatabase(tenants.dataDir(), 'never-created')).not.toThrow()
  })

  it('gives the vault hooks that create, name and remove the file, closing it first', () => {
    const databases = new TenantDatabases(tenants.dataDir())
    const path = tenantDbPath(tenants.dataDir(), 'hooked')
    databases.create('hooked')
    expect(existsSync(path)).toBe(true)
    expect(databases.path('hooked')).toBe(path)
    databases.open('hooked').importCsv('Serial\nA1\n')
    databases.remove('hooked')
    expect(readdirSync(dirname(path)).filter((name) => name.startsWith('hooked'))).toEqual([])
  })

  it.each([undefined, null, 42])(
    'refuses the tenant id %j, which is not a string, before naming any file',
    (tenantId) => {
      expect(() => tenantDatabasePath(tenants.dataDir(), tenantId as never)).toThrow(
        TenantDatabaseError,
      )
      expect(() => TenantDatabase.open(tenants.dataDir(), tenantId as never)).toThrow(
        /not a valid tenant id/,
      )
      expect(existsSync(dirname(tenantDbPath(tenants.dataDir(), 'x')))).toBe(false)
    },
  )

  it.each(['../escape', 'a/b', 'a\\b', '', '.hidden', 'x'.repeat(101)])(
    'refuses the tenant id %j, which could name a file outside the tenants folder',
    (tenantId) => {
      expect(() => TenantDatabase.open(tenants.dataDir(), tenantId)).toThrow(TenantDatabaseError)
      expect(() => deleteTenantDatabase(tenants.dataDir(), tenantId)).toThrow(
        /not a valid tenant id/,
      )
    },
  )

  it('can be closed twice', () => {
    const db = tenants.open()
    db.close()
    expect(() => db.close()).not.toThrow()
  })
})
