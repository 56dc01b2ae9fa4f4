import { describe, expect, it } from 'vitest'
import { CsvImportError } from '../../../main/tenants/errors'
import {
  NOW,
  readCsvFixture,
  useTenantDataDir,
  failWritingLastSerial,
} from './support/tenant-fixture'

const allRows = { filter: 'all', search: '', cursor: { from: 'start' }, limit: 100 } as const

describe('CSV import', () => {
  const tenants = useTenantDataDir()

  const coverageOf = (serial: string): Record<string, unknown>[] =>
    tenants
      .inspect()
      .prepare(
        `SELECT kind, description, start_date AS start, end_date AS end, is_canceled AS canceled
         FROM coverage WHERE serial = ? ORDER BY kind`,
      )
      .all(serial)
      .map((row) => ({ ...row }))

  it('replaces the identifier lists a file has and keeps the others, in any list spelling', () => {
    const db = tenants.open()
    db.importCsv('Serial,IMEI,EID,Wi-Fi MAC Address\nX1,111,8904,aa:01\nX2,,,\n', NOW)
    const report = db.importCsv('Serial,imei,Colour,Capacity\nX1,"222, 333;444",Blue,1TB\n', NOW)
    expect(report.errors).toEqual([])
    const stored = (serial: string) =>
      tenants
        .inspect()
        .prepare('SELECT identifiers, color, capacity FROM devices WHERE serial = ?')
        .get(serial)
    expect({ ...stored('X1') }).toEqual({
      identifiers: JSON.stringify({
        imei: ['222', '333', '444'],
        eid: ['8904'],
        wifiMac: ['aa:01'],
      }),
      color: 'Blue',
      capacity: '1TB',
    })
    // Empty cells are empty lists; a file without identifier columns leaves them as they are.
    expect(stored('X2')?.identifiers).toBe(JSON.stringify({ imei: [], eid: [], wifiMac: [] }))
    db.importCsv('Serial,Model\nX1,iPhone\n', NOW)
    expect(JSON.parse(String(stored('X1')?.identifiers)).imei).toEqual(['222', '333', '444'])
  })

  it('refuses a bad order date with its column, as it does other dates', () => {
    const report = tenants.open().importCsv('Serial,Order Date\nX1,soon\n', NOW)
    expect(report.errors).toEqual([
      {
        line: 2,
        message:
          'bad date "soon" in column "Order Date" (use YYYY-MM-DD or an ISO-8601 date and time)',
      },
    ])
  })

  it('imports ABM Warranty’s export with its own headers', () => {
    const db = tenants.open()
    const report = db.importCsv(readCsvFixture('abm-warranty.csv'), NOW)
    expect(report).toEqual({ rows: 5, devices: 5, coverage: 5, skipped: 0, errors: [] })
    expect(coverageOf('C02AAA000001')).toEqual([
      {
        kind: 'AppleCare+',
        description: 'AppleCare+',
        start: '2023-02-01',
        end: '2026-02-01',
        canceled: 0,
      },
      {
        kind: 'Limited Warranty',
        description: 'Limited Warranty',
        start: '2023-02-01',
        end: '2024-02-01',
        canceled: 0,
      },
    ])
    const device = tenants
      .inspect()
      .prepare('SELECT * FROM devices WHERE serial = ?')
      .get('DMPAAA000005')
    expect({ ...device }).toMatchObject({
      make: 'Apple',
      model: 'iPad Air (5th generation)',
      family: 'iPad',
      product_type: 'iPad13,16',
      status: 'ASSIGNED',
      order_number: 'ORD-1005',
      part_number: 'MM9C3LL/A',
      added_to_org: '2024-09-01T07:00:00.000Z',
      released_from_org: null,
      first_seen: NOW.toISOString(),
      last_seen: NOW.toISOString(),
      inactive: 0,
    })
    expect(db.query(allRows, NOW).map((row) => [row.serial, row.coverageState])).toEqual([
      ['C02AAA000001', 'active'],
      ['C02AAA000002', 'expiringSoon'],
      ['C02AAA000003', 'expired'],
      ['C02AAA000004', 'noData'],
      ['DMPAAA000005', 'active'],
    ])
  })

  it('matches headers whatever their case and spacing, and ignores unknown columns', () => {
    const db = tenants.open()
    const csv =
      'serial_number,ASSET TAG,  product family ,standardend,Notes\nA1,T-1,Mac,2030-01-01,hi\n'
    expect(db.importCsv(csv, NOW)).toEqual({
      rows: 1,
      devices: 1,
      coverage: 1,
      skipped: 0,
      errors: [],
    })
    expect(db.query(allRows, NOW)).toEqual([
      {
        serial: 'A1',
        model: null,
        family: 'Mac',
        status: null,
        coverage: 'Limited Warranty',
        coverageEnd: '2030-01-01',
        coverageState: 'active',
        inactive: false,
      },
    ])
  })

  it('skips bad rows, reports each by file line and reason, and imports the good ones', () => {
    const db = tenants.open()
    const csv = [
      'Serial,Model,Standard Start,Standard End,Inactive',
      'GOOD1,"Mac, mini",2024-01-01,2027-01-01,no',
      ',Orphan,2024-01-01,2027-01-01,',
      'BAD2,x,01/02/2024,2027-01-01,',
      'BAD3,x,2025-01-01,2024-01-01,',
      'GOOD4,"multi',
      'line model",,,yes',
      'BAD5,x,,,maybe',
      'BAD6,"x"y,,,',
    ].join('\r\n')
    const report = db.importCsv(csv, NOW)
    expect(report.errors).toEqual([
      { line: 3, message: 'missing serial number' },
      {
        line: 4,
        message:
          'bad date "01/02/2024" in column "Standard Start" (use YYYY-MM-DD or an ISO-8601 date and time)',
      },
      {
        line: 5,
        message:
          'end before start: "Standard End" 2024-01-01 is earlier than "Standard Start" 2025-01-01',
      },
      { line: 8, message: 'bad yes/no value "maybe" in column "Inactive" (use true or false)' },
      { line: 9, message: 'not valid CSV: unexpected text after a closing quote in column 2' },
    ])
    expect(report).toMatchObject({ rows: 7, devices: 2, coverage: 1 })
    expect(db.query(allRows, NOW).map((row) => [row.serial, row.model])).toEqual([
      ['GOOD1', 'Mac, mini'],
      ['GOOD4', 'multi\r\nline model'],
    ])
  })

  it('reads a file with a BOM and CRLF line ends', () => {
    const db = tenants.open()
    const report = db.importCsv('\uFEFFSerial,Model\r\nA1,iPhone 15\r\nB2,iPad\r\n', NOW)
    expect(report).toEqual({ rows: 2, devices: 2, coverage: 0, skipped: 0, errors: [] })
    expect(db.query(allRows, NOW).map((row) => row.serial)).toEqual(['A1', 'B2'])
  })

  it('refuses a file without a Serial column and changes nothing', () => {
    const db = tenants.open()
    db.importCsv(readCsvFixture('abm-warranty.csv'), NOW)
    const before = db.snapshot()
    expect(() => db.importCsv('Model,Status\niPhone,ASSIGNED\n', NOW)).toThrow(CsvImportError)
    expect(db.snapshot()).toEqual(before)
    expect(syncRuns()).toBe(1)
  })

  it('refuses a file whose quote never closes, even after good rows, and changes nothing', () => {
    const db = tenants.open()
    const csv = 'Serial,Model\nA1,fine\nB2,"never closed\nC3,lost\n'
    expect(() => db.importCsv(csv, NOW)).toThrow(/starts on line 3/)
    expect(db.snapshot().devices).toBe(0)
    expect(syncRuns()).toBe(0)
  })

  it('refuses an empty file', () => {
    expect(() => tenants.open().importCsv('\uFEFF\r\n', NOW)).toThrow(/The file is empty/)
  })

  it('changes nothing, not even the sync log, when no row is good', () => {
    const db = tenants.open()
    const before = db.snapshot()
    const report = db.importCsv('Serial,Standard End\nA1,tomorrow\n,2030-01-01\n', NOW)
    expect(report).toMatchObject({ rows: 2, devices: 0, coverage: 0 })
    expect(report.errors.map((error) => error.line)).toEqual([2, 3])
    expect(db.snapshot()).toEqual(before)
    expect(syncRuns()).toBe(0)
  })

  it('counts every skipped row but lists only the first thousand reasons', () => {
    const bad = Array.from({ length: 1_500 }, (_, i) => `S${i},not a date`)
    const report = tenants
      .open()
      .importCsv(`Serial,Standard End\nGOOD1,2030-01-01\n${bad.join('\n')}\n`, NOW)
    expect(report).toMatchObject({ rows: 1_501, devices: 1, skipped: 1_500 })
    expect(report.errors).toHaveLength(1_000)
    expect(report.errors[0]?.line).toBe(3)
  })

  it('is idempotent: importing the same file again leaves the same data', () => {
    const db = tenants.open()
    const csv = readCsvFixture('abm-warranty.csv')
    db.importCsv(csv, NOW)
    const once = db.snapshot()
    db.importCsv(csv, NOW)
    expect(db.snapshot()).toEqual(once)
    expect(once).toMatchObject({ devices: 5, coverage: 5 })
    expect(syncRuns()).toBe(2)
  })

  it('updates a device and its coverage on re-import, keeping what the new file lacks', () => {
    const db = tenants.open()
    db.importCsv(
      'Serial,Model,Status,AC+ Start,AC+ End\nA1,Mac mini,ASSIGNED,2024-01-01,2025-01-01\n',
      NOW,
    )
    const later = new Date('2025-07-01T00:00:00Z')
    db.importCsv('Serial,Status,AC+ Start,AC+ End\nA1,UNASSIGNED,2024-01-01,2027-01-01\n', later)
    const device = tenants.inspect().prepare('SELECT * FROM devices').get()
    expect({ ...device }).toMatchObject({
      model: 'Mac mini',
      status: 'UNASSIGNED',
      first_seen: NOW.toISOString(),
      last_seen: later.toISOString(),
      best_coverage_end: '2027-01-01',
    })
    expect(coverageOf('A1')).toEqual([
      {
        kind: 'AppleCare+',
        description: 'AppleCare+',
        start: '2024-01-01',
        end: '2027-01-01',
        canceled: 0,
      },
    ])
  })

  it('ignores canceled coverage when it judges a device’s coverage', () => {
    const db = tenants.open()
    const csv = [
      'Serial,Coverage Kind,Coverage Agreement ID,Coverage End,Coverage Canceled',
      'A1,AppleCare+,AGR-1,2030-01-01,true',
      'A1,Limited Warranty,,2024-01-01,false',
      'B2,AppleCare+,AGR-2,2030-01-01,yes',
    ].join('\n')
    expect(db.importCsv(csv, NOW).errors).toEqual([])
    expect(db.query(allRows, NOW).map((row) => [row.serial, row.coverageState])).toEqual([
      ['A1', 'expired'],
      ['B2', 'noData'],
    ])
  })

  it('keeps either all of an import or none of it when a write fails half-way', () => {
    const db = tenants.open()
    db.importCsv(readCsvFixture('abm-warranty.csv'), NOW)
    const before = db.snapshot()
    failWritingLastSerial(tenants.inspect())
    const csv = 'Serial,Model,Standard End\nC02AAA000001,Changed,2040-01-01\nNEW1,x,\nZZZ-LAST,x,\n'
    expect(() => db.importCsv(csv, NOW)).toThrow(/simulated write failure/)
    expect(db.snapshot()).toEqual(before)
    expect(syncRuns()).toBe(1)
  })

  it('keeps the earliest First Seen, and a file without one leaves it as it is', () => {
    const db = tenants.open()
    const firstSeen = () =>
      tenants.inspect().prepare('SELECT first_seen FROM devices WHERE serial = ?').get('A1')
        ?.first_seen
    db.importCsv('Serial,First Seen\nA1,2024-03-01T00:00:00Z\n', NOW)
    db.importCsv('Serial,First Seen\nA1,2023-03-01T00:00:00Z\n', NOW)
    expect(firstSeen()).toBe('2023-03-01T00:00:00.000Z')
    db.importCsv('Serial,First Seen\nA1,2025-03-01T00:00:00Z\n', NOW)
    db.importCsv('Serial,Model\nA1,iPhone 15\n', NOW)
    expect(firstSeen()).toBe('2023-03-01T00:00:00.000Z')
  })

  it('writes rows in batches with the same result as one row at a time: later rows win', () => {
    const db = tenants.open()
    // Past the size of one batch, with a device listed again far from its first row.
    const rows = Array.from({ length: 5_000 }, (_, i) => `S${i},Model ${i},,`)
    rows.push('S7,Relisted,2030-01-01,AGR-7', 'S4999,Last,2031-01-01,AGR-4999')
    const csv = `Serial,Model,Coverage End,Coverage Agreement ID\n${rows.join('\n')}\n`
    const report = db.importCsv(csv, NOW)
    expect(report).toMatchObject({ rows: 5_002, devices: 5_000, coverage: 2, skipped: 0 })
    const device = (serial: string) => ({
      ...tenants
        .inspect()
        .prepare('SELECT model, best_coverage_end FROM devices WHERE serial = ?')
        .get(serial),
    })
    expect(device('S7')).toEqual({ model: 'Relisted', best_coverage_end: '2030-01-01' })
    expect(device('S4999')).toEqual({ model: 'Last', best_coverage_end: '2031-01-01' })
    expect(device('S8')).toEqual({ model: 'Model 8', best_coverage_end: null })
    expect(db.counts(NOW).devices).toBe(5_000)
  })

  function syncRuns(): number {
    return Number(tenants.inspect().prepare('SELECT count(*) AS n FROM sync_runs').get()?.n)
  }
})
