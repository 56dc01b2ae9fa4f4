import { describe, expect, it } from 'vitest'
import { toAppError } from '../../../main/ipc/app-error'
import { TenantBusyError } from '../../../main/tenants/errors'
import type { TenantDatabase } from '../../../main/tenants/tenant-database'
import { generateDevicesCsv } from '../../support/device-csv'
import { thrownBy } from '../../support/rejection'
import {
  NOW,
  readCsvFixture,
  useTenantDataDir,
  failWritingLastSerial,
  importAsFile,
} from './support/tenant-fixture'

// 9,000 rows: several steps of the cooperative import, so other callbacks get turns in between.
const DEVICES = 3_000
const LARGE = `${generateDevicesCsv(DEVICES, 3)}NOT-A-DEVICE,Apple,x,x,x,x,x,x,yesterday,,,,,,,,,,\r\n`
const BUSY = 'A CSV import into this tenant is still running; try again when it has finished.'

/** Runs `during` in the pause after the import's first piece of the file, then awaits both. */
async function whileImporting<T>(
  db: TenantDatabase,
  csv: string,
  during: () => T,
): Promise<{ seen: T; finishedFirst: boolean }> {
  let finished = false
  let firstPiece: () => void = () => {}
  const paused = new Promise<void>((resolve) => (firstPiece = resolve))
  const importing = importAsFile(db, csv, NOW, { onProgress: () => firstPiece() }).finally(
    () => (finished = true),
  )
  await paused
  const seen = { seen: during(), finishedFirst: finished }
  await importing
  return seen
}

describe('cooperative CSV import', () => {
  const tenants = useTenantDataDir()

  const syncRuns = (tenantId?: string): number =>
    Number(tenants.inspect(tenantId).prepare('SELECT count(*) AS n FROM sync_runs').get()?.n)

  it('lets other callbacks run before it finishes, and they see the rows written so far', async () => {
    const db = tenants.open()
    const { seen, finishedFirst } = await whileImporting(db, LARGE, () => db.counts(NOW).devices)
    expect(finishedFirst).toBe(false)
    expect(seen).toBeGreaterThan(0)
    expect(seen).toBeLessThan(DEVICES)
    expect(db.counts(NOW).devices).toBe(DEVICES)
  })

  it('gives the same report and data as importing the same file straight through', async () => {
    const straight = tenants.open('tenant-a')
    const cooperative = tenants.open('tenant-b')
    const report = straight.importCsv(LARGE, NOW)
    expect(report).toMatchObject({ rows: DEVICES * 3 + 1, devices: DEVICES, skipped: 1 })
    expect(await importAsFile(cooperative, LARGE, NOW)).toEqual(report)
    expect(cooperative.snapshot()).toEqual(straight.snapshot())
    expect(cooperative.counts(NOW)).toEqual(straight.counts(NOW))
    expect(cooperative.exportCsv()).toBe(straight.exportCsv())
    expect(syncRuns('tenant-b')).toBe(1)
  })

  it('leaves hashing to the first snapshot, which is then cached', async () => {
    const db = tenants.open()
    await importAsFile(db, LARGE, NOW)
    const cache = () =>
      tenants
        .inspect()
        .prepare('SELECT generation = snapshot_generation AS fresh, devices FROM content_state')
        .get()
    expect({ ...cache() }).toEqual({ fresh: null, devices: null })
    expect(db.snapshot().devices).toBe(DEVICES)
    expect({ ...cache() }).toEqual({ fresh: 1, devices: DEVICES })
  })

  it('keeps either all of an import or none of it when a write fails late in the file', async () => {
    const db = tenants.open()
    db.importCsv(readCsvFixture('abm-warranty.csv'), NOW)
    const before = db.snapshot()
    failWritingLastSerial(tenants.inspect())
    const csv = `${generateDevicesCsv(DEVICES, 3)}ZZZ-LAST,Apple\r\n`
    await expect(importAsFile(db, csv, NOW)).rejects.toThrow(/simulated write failure/)
    expect(db.snapshot()).toEqual(before)
    expect(syncRuns()).toBe(1)
    // The transaction was rolled back, not left open: the next import goes through.
    expect(db.importCsv('Serial\nAFTER1\n', NOW).devices).toBe(1)
  })

  it('refuses another import and a snapshot of the tenant until it has finished', async () => {
    const db = tenants.open()
    const { seen } = await whileImporting(db, LARGE, () => ({
      cooperative: importAsFile(db, 'Serial\nOTHER1\n', NOW).catch((error) => error),
      straight: thrownBy(() => db.importCsv('Serial\nOTHER2\n', NOW)),
      snapshot: thrownBy(() => db.snapshot()),
    }))
    const refusals = [await seen.cooperative, seen.straight, seen.snapshot]
    for (const refused of refusals) {
      expect(refused).toBeInstanceOf(TenantBusyError)
      expect(toAppError(refused)).toEqual({ code: 'busy', message: BUSY })
    }
    const reference = tenants.open('tenant-b')
    reference.importCsv(LARGE, NOW)
    expect(db.snapshot()).toEqual(reference.snapshot())
    expect(syncRuns()).toBe(1)
    // Once it has finished, the tenant takes imports again.
    expect((await importAsFile(db, 'Serial\nOTHER3\n', NOW)).devices).toBe(1)
  })

  it('leaves another tenant free to import while it runs', async () => {
    const db = tenants.open('tenant-a')
    const other = tenants.open('tenant-b')
    const { seen } = await whileImporting(db, LARGE, () => other.importCsv('Serial\nB1\n', NOW))
    expect(seen.devices).toBe(1)
    expect(other.snapshot().devices).toBe(1)
    expect(db.snapshot().devices).toBe(DEVICES)
  })
})
