import { existsSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { tenantDbPath } from '../../../main/paths'
import { TenantDatabaseError } from '../../../main/tenants/errors'
import { migrate, schemaVersion } from '../../../main/tenants/migrate'
import { TENANT_MIGRATIONS, type Migration } from '../../../main/tenants/tenant-schema'
import { useTenantDataDir } from './support/tenant-fixture'

const tables = (db: DatabaseSync): string[] =>
  db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
    .all()
    .map((row) => String(row.name))

describe('tenant database migrations', () => {
  const tenants = useTenantDataDir()

  it('creates the folder, the file and the schema from nothing, in WAL mode', () => {
    tenants.open().close()
    expect(existsSync(tenantDbPath(tenants.dataDir(), 'tenant-a'))).toBe(true)
    const db = tenants.inspect()
    expect(tables(db)).toEqual([
      'content_state',
      'coverage',
      'device_attributes',
      'device_tile_counts',
      'devices',
      'devices_search',
      'devices_search_config',
      'devices_search_data',
      'devices_search_docsize',
      'devices_search_idx',
      'pending_import_audits',
      'sync_runs',
    ])
    expect(schemaVersion(db)).toBe(TENANT_MIGRATIONS.length)
    expect(db.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal')
  })

  it('reopens an existing database without touching its schema or data', () => {
    const first = tenants.open()
    first.importCsv('Serial,Model\nA1,iPhone 15\n')
    const before = first.snapshot()
    first.close()
    const again = tenants.open()
    expect(again.snapshot()).toEqual(before)
    expect(schemaVersion(tenants.inspect())).toBe(TENANT_MIGRATIONS.length)
  })

  it('brings a database of the released schema (step 2) up to date with its data and CSV log intact', () => {
    const path = tenantDbPath(tenants.dataDir(), 'tenant-a')
    mkdirSync(dirname(path), { recursive: true })
    const old = new DatabaseSync(path)
    migrate(old, TENANT_MIGRATIONS.slice(0, 2))
    old.exec(`INSERT INTO devices (serial, model, first_seen, last_seen) VALUES ('A1', 'iPhone 15', 'x', 'x');
      INSERT INTO devices (serial, first_seen, last_seen, best_coverage_end) VALUES ('B2', 'x', 'x', '2020-01-01');
      INSERT INTO coverage (serial, coverage_key, end_date) VALUES ('A1', 'k', '2030-01-01');
      INSERT INTO sync_runs (started_at, finished_at, source, rows, message)
        VALUES ('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 'csv', 1, '1 devices');`)
    old.close()
    const db = tenants.open()
    expect(schemaVersion(tenants.inspect())).toBe(TENANT_MIGRATIONS.length)
    expect(db.snapshot()).toMatchObject({ devices: 2, coverage: 1 })
    expect(db.countView({ filter: 'all', search: 'iPhone' })).toBe(1)
    expect(db.counts(new Date('2026-01-01'))).toMatchObject({ devices: 2, expired: 1, noData: 1 })
    const runs = tenants
      .inspect()
      .prepare('SELECT source, kind, status, rows, message FROM sync_runs')
      .all()
    expect(runs).toEqual([
      { source: 'csv', kind: null, status: 'complete', rows: 1, message: '1 devices' },
    ])
  })

  it('turns foreign keys on: coverage cannot point at a device that does not exist', () => {
    tenants.open()
    const db = tenants.inspect()
    db.exec('PRAGMA foreign_keys = ON')
    expect(() =>
      db.exec(`INSERT INTO coverage (serial, coverage_key) VALUES ('GHOST', 'k')`),
    ).toThrow(/FOREIGN KEY/)
  })

  it('rolls a failing migration back whole and leaves user_version at the last good step', () => {
    const path = tenantDbPath(tenants.dataDir(), 'tenant-a')
    mkdirSync(dirname(path), { recursive: true })
    const db = new DatabaseSync(path)
    const migrations: Migration[] = [
      { version: 1, description: 'first', up: (d) => d.exec('CREATE TABLE one (x)') },
      {
        version: 2,
        description: 'second',
        up: (d) => {
          d.exec('CREATE TABLE two (x); INSERT INTO one VALUES (1)')
          d.exec('THIS IS NOT SQL')
        },
      },
    ]
    try {
      expect(() => migrate(db, migrations)).toThrow(TenantDatabaseError)
      expect(() => migrate(db, migrations)).toThrow(/step 2: second.*left as it was, at step 1/)
      expect(schemaVersion(db)).toBe(1)
      expect(tables(db)).toEqual(['one'])
      expect(db.prepare('SELECT count(*) AS n FROM one').get()?.n).toBe(0)
    } finally {
      db.close()
    }
  })

  it('refuses a database from a newer app version without changing it', () => {
    tenants.open().close()
    const db = tenants.inspect()
    db.exec('PRAGMA user_version = 99')
    db.close()
    expect(() => tenants.open()).toThrow(/newer version of AxM Credential Manager/)
    expect(schemaVersion(tenants.inspect())).toBe(99)
  })

  it('refuses a file that is not a database and leaves it in place', () => {
    const path = tenantDbPath(tenants.dataDir(), 'tenant-a')
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, 'this is not a database, but it is somebody’s file'.repeat(100))
    expect(() => tenants.open()).toThrow(TenantDatabaseError)
    expect(existsSync(path)).toBe(true)
  })

  it('checks that migration versions count up from 1', () => {
    const db = new DatabaseSync(':memory:')
    const skipped = [{ version: 2, description: 'skips one', up: () => {} }]
    expect(() => migrate(db, skipped)).toThrow(/expected 1/)
    db.close()
  })

  it('opens two tenants as two separate files', () => {
    tenants.open('tenant-a').importCsv('Serial\nA1\n')
    expect(tenants.open('tenant-b').snapshot().devices).toBe(0)
    expect(tenants.open('tenant-a').snapshot().devices).toBe(1)
  })
})
