import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DeviceRow } from '../../../preload/model'
import { deviceKey } from '../../../preload/rules'
import type { ExportProgress } from '../../../main/tenants/csv-export'
import type { DeviceQuery } from '../../../main/tenants/device-queries'
import { CsvExportCanceledError } from '../../../main/tenants/errors'
import type { TenantDatabase } from '../../../main/tenants/tenant-database'
import { deviceSerial, generateDevicesCsv } from '../../support/device-csv'
import { NOW, readCsvFixture, useTenantDataDir, importAsFile } from './support/tenant-fixture'

// 18,000 rows: several steps of the cooperative export, so other callbacks get turns in between.
const DEVICES = 6_000
const ROWS = DEVICES * 3

/** Renames every device: an import that changes each row of the export, in several steps. */
const RENAME_ALL = [
  'Serial,Model',
  ...Array.from({ length: DEVICES }, (_, index) => `${deviceSerial(index)},Renamed`),
].join('\r\n')

describe('cooperative CSV export', () => {
  const tenants = useTenantDataDir()

  function filled(): TenantDatabase {
    const db = tenants.open()
    expect(db.importCsv(generateDevicesCsv(DEVICES, 3), NOW).errors).toEqual([])
    return db
  }

  /** Every row of a view in a sort, as the table pages through them. */
  function allShown(db: TenantDatabase, query: Omit<DeviceQuery, 'cursor' | 'limit'>) {
    const rows: DeviceRow[] = []
    for (;;) {
      const last = rows.at(-1)
      const cursor = last
        ? { after: deviceKey(last, query.sort!.column) }
        : { from: 'start' as const }
      const page = db.query({ ...query, cursor, limit: 1000 }, NOW)
      if (page.length === 0) return rows
      rows.push(...page)
    }
  }

  /** Runs `during` in the first turn of the event loop after the export started, then awaits it. */
  async function whileExporting<T>(db: TenantDatabase, path: string, during: () => T) {
    let finished = false
    const exporting = db.exportCsvFileCooperatively(path).finally(() => (finished = true))
    const { seen, finishedFirst } = await new Promise<{ seen: T; finishedFirst: boolean }>(
      (resolve) => setImmediate(() => resolve({ seen: during(), finishedFirst: finished })),
    )
    return { seen, finishedFirst, result: await exporting }
  }

  it('lets other callbacks run before it finishes, and writes the file only at the end', async () => {
    const db = filled()
    const path = join(tenants.dataDir(), 'export.csv')
    const { seen, finishedFirst, result } = await whileExporting(db, path, () => existsSync(path))
    expect(finishedFirst).toBe(false)
    expect(seen).toBe(false)
    expect(result).toEqual({ path, rows: ROWS, devices: DEVICES })
    expect(readdirSync(tenants.dataDir()).filter((name) => name.endsWith('.partial'))).toEqual([])
  })

  it('exports only what a view shows, and counts its devices apart from its rows', async () => {
    const db = filled()
    const path = join(tenants.dataDir(), 'view.csv')
    const view = { filter: 'inCoverage' as const, search: '' }
    const shown = db.countView(view, NOW)
    expect(shown).toBeGreaterThan(0)
    expect(shown).toBeLessThan(DEVICES)
    const result = await db.exportCsvFileCooperatively(path, { view, now: NOW })
    expect(result.devices).toBe(shown)
    const serials = new Set(
      readFileSync(path, 'utf8')
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    )
    expect(serials.size).toBe(shown)
    expect(result.rows).toBe(readFileSync(path, 'utf8').trim().split('\r\n').length - 1)
    const search = { filter: 'all' as const, search: deviceSerial(42) }
    expect(await db.exportCsvFileCooperatively(path, { view: search, now: NOW })).toMatchObject({
      devices: 1,
      rows: 3,
    })
  })

  it("writes the devices in the table's sort, each device's coverage rows together", async () => {
    const db = filled()
    const path = join(tenants.dataDir(), 'sorted.csv')
    const view = { filter: 'expired' as const, search: '' }
    for (const sort of [
      { column: 'coverageEnd', descending: true },
      { column: 'model', descending: false },
    ] as const) {
      const shown = allShown(db, { ...view, sort }).map((row) => row.serial)
      expect(shown.length).toBe(db.countView(view, NOW))
      await db.exportCsvFileCooperatively(path, { view, sort, now: NOW })
      const serials = readFileSync(path, 'utf8')
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[0])
      // Three coverage rows per device, one after the other, and the devices as the table has them.
      expect(serials).toEqual(shown.flatMap((serial) => [serial, serial, serial]))
    }
  })

  it('writes the same bytes as the export straight through', async () => {
    const db = filled()
    expect(db.importCsv(readCsvFixture('abm-warranty.csv'), NOW).errors).toEqual([])
    const straight = join(tenants.dataDir(), 'straight.csv')
    const cooperative = join(tenants.dataDir(), 'cooperative.csv')
    const straightResult = db.exportCsvFile(straight)
    expect(await db.exportCsvFileCooperatively(cooperative)).toEqual({
      path: cooperative,
      rows: straightResult.rows,
      devices: straightResult.devices,
    })
    expect(readFileSync(cooperative).equals(readFileSync(straight))).toBe(true)
    expect(readFileSync(cooperative, 'utf8')).toBe(db.exportCsv())
  })

  it('writes the data as it was when it started, though an import commits during it', async () => {
    const db = filled()
    const before = db.exportCsv()
    const path = join(tenants.dataDir(), 'export.csv')
    const { seen } = await whileExporting(db, path, () => db.importCsv(RENAME_ALL, NOW))
    expect(seen.devices).toBe(DEVICES)
    expect(readFileSync(path, 'utf8')).toBe(before)
    const after = db.exportCsv()
    expect(after).not.toBe(before)
    expect(after.split('\r\n')[1]).toContain(',Renamed,')
  })

  it('runs beside a cooperative import and writes what was committed before it', async () => {
    const db = filled()
    const before = db.exportCsv()
    let firstPiece: () => void = () => {}
    const paused = new Promise<void>((resolve) => (firstPiece = resolve))
    const importing = importAsFile(db, RENAME_ALL, NOW, { onProgress: () => firstPiece() })
    await paused
    // The import is half-way, its transaction open on the tenant's connection.
    expect(db.countView({ filter: 'all', search: 'renamed' }, NOW)).toBeGreaterThan(0)
    expect(db.exportCsv()).toBe(before)
    const path = join(tenants.dataDir(), 'export.csv')
    const exporting = db.exportCsvFileCooperatively(path)
    expect((await importing).devices).toBe(DEVICES)
    expect(await exporting).toEqual({ path, rows: ROWS, devices: DEVICES })
    expect(readFileSync(path, 'utf8')).toBe(before)
    expect(db.exportCsv()).not.toBe(before)
  })

  it('ends its read transaction, so the next checkpoint can empty the write-ahead log', async () => {
    const db = filled()
    await db.exportCsvFileCooperatively(join(tenants.dataDir(), 'export.csv'))
    const checkpoint = tenants.inspect().prepare('PRAGMA wal_checkpoint(TRUNCATE)').get()
    expect({ ...checkpoint }).toEqual({ busy: 0, log: 0, checkpointed: 0 })
  })

  it('reports rows and devices written of the devices it will write, as it goes', async () => {
    const db = filled()
    const path = join(tenants.dataDir(), 'export.csv')
    const seen: ExportProgress[] = []
    const view = { filter: 'inCoverage' as const, search: '' }
    const shown = db.countView(view, NOW)
    const result = await db.exportCsvFileCooperatively(path, {
      view,
      now: NOW,
      onProgress: (progress) => seen.push(progress),
    })
    expect(seen.length).toBeGreaterThan(2)
    expect(seen[0]).toEqual({ rows: 0, devices: 0, totalDevices: shown })
    expect(seen.at(-1)).toEqual({ rows: result.rows, devices: shown, totalDevices: shown })
    const devices = seen.map((progress) => progress.devices)
    expect(devices).toEqual([...devices].sort((a, b) => a - b))
  })

  it('stops when canceled and leaves neither the file nor a part of it, nor a transaction', async () => {
    const db = filled()
    const path = join(tenants.dataDir(), 'export.csv')
    const abort = new AbortController()
    let progressed = 0
    const exporting = db.exportCsvFileCooperatively(path, {
      signal: abort.signal,
      // Canceled once the first rows are in the partial file: the Cancel button's moment.
      onProgress: ({ rows }) => {
        if (rows > 0 && ++progressed === 1) abort.abort()
      },
    })
    await expect(exporting).rejects.toBeInstanceOf(CsvExportCanceledError)
    await expect(exporting).rejects.toMatchObject({ code: 'canceled' })
    expect(progressed).toBe(1)
    expect(existsSync(path)).toBe(false)
    expect(readdirSync(tenants.dataDir()).filter((name) => name.includes('export'))).toEqual([])
    const checkpoint = tenants.inspect().prepare('PRAGMA wal_checkpoint(TRUNCATE)').get()
    expect({ ...checkpoint }).toEqual({ busy: 0, log: 0, checkpointed: 0 })
  })

  it('rejects when the file cannot be written, leaving nothing behind', async () => {
    const db = filled()
    const path = join(tenants.dataDir(), 'no such folder', 'export.csv')
    await expect(db.exportCsvFileCooperatively(path)).rejects.toThrow(/ENOENT/)
    expect(db.importCsv('Serial\nAFTER1\n', NOW).devices).toBe(1)
  })
})
