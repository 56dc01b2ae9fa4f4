// The content generation is kept by triggers in the database itself, so a write by any connection
// (another process, the sqlite3 shell) makes the cached snapshot stale, and a rotation's "data
// unchanged" evidence sees it.
import { randomUUID } from 'node:crypto'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tenantDbPath } from '../../../main/paths'
import {
  createRotationWorld,
  disposeRotationWorld,
  engineFor,
  newClientId,
  newKey,
  seedTenant,
  type RotationWorld,
  type SeededTenant,
} from '../../support/rotation-world'
import { NOW, useTenantDataDir } from './support/tenant-fixture'

const generation = (db: DatabaseSync): number =>
  Number(db.prepare('SELECT generation FROM content_state').get()?.generation)

describe('content generation', () => {
  const tenants = useTenantDataDir()

  it.each([
    [
      'inserts a device',
      `INSERT INTO devices (serial, first_seen, last_seen) VALUES ('N1', 'x', 'x')`,
    ],
    ['updates a device', `UPDATE devices SET model = 'Changed' WHERE serial = 'A1'`],
    ['deletes a device', `DELETE FROM devices WHERE serial = 'A1'`],
    ['inserts coverage', `INSERT INTO coverage (serial, coverage_key) VALUES ('A1', 'new')`],
    ['updates coverage', `UPDATE coverage SET is_canceled = 1`],
    ['deletes coverage', `DELETE FROM coverage`],
  ])('moves when a second connection %s, and the next snapshot sees it', (_, sql) => {
    const db = tenants.open()
    db.importCsv('Serial,Model,AC+ Start,AC+ End\nA1,iPad,2025-01-01,2026-01-01\n', NOW)
    const cached = db.snapshot()
    const other = tenants.inspect()
    const before = generation(other)
    other.exec(sql)
    expect(generation(other)).toBeGreaterThan(before)
    expect(db.snapshot()).not.toEqual(cached)
  })

  it('stays put when nothing changes: a read, or a write that is rolled back', () => {
    const db = tenants.open()
    db.importCsv('Serial\nA1\n', NOW)
    const other = tenants.inspect()
    const before = generation(other)
    other.exec(`BEGIN; UPDATE devices SET model = 'x'; ROLLBACK`)
    other.prepare('SELECT * FROM devices').all()
    expect(generation(other)).toBe(before)
  })
})

describe('a rotation while another connection writes', () => {
  let world: RotationWorld
  let tenant: SeededTenant

  beforeEach(async () => {
    world = createRotationWorld(`AxM generation test ${process.pid}`)
    tenant = await seedTenant(world, { devices: 30, coverage: 2 })
  })
  afterEach(() => disposeRotationWorld(world))

  it('reports that the tenant data changed between its before and after snapshots', async () => {
    const engine = engineFor(world, {
      confirmer: {
        // Between the two snapshots, a write from outside the app (as the sqlite3 shell would).
        confirm: async () => {
          const outside = new DatabaseSync(tenantDbPath(world.dataDir, tenant.tenantId))
          outside.exec(`UPDATE devices SET model = 'Edited elsewhere' WHERE rowid = 1`)
          outside.close()
        },
      },
    })
    const outcome = await engine.rotate({
      runId: randomUUID(),
      credentialId: tenant.credential.id,
      name: 'Rotated',
      clientId: newClientId(),
      keyId: randomUUID(),
      key: newKey(world).parsed,
    })
    expect(outcome.after.devices).toBe(outcome.before.devices)
    expect(outcome.after.contentHash).not.toBe(outcome.before.contentHash)
    const [rotated] = world.audit.list({ kind: 'credential.rotated' })
    expect(rotated?.details).toMatchObject({ dataUnchanged: false })
  })
})
