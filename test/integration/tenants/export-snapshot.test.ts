import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { snapshotTenantData } from '../../../main/tenants/snapshot'
import { generateDevicesCsv } from '../../support/device-csv'
import { NOW, readCsvFixture, useTenantDataDir } from './support/tenant-fixture'

// Values a spreadsheet would mangle or run, and every kind of field our format carries.
const AWKWARD = [
  'Serial,Model,Status,Inactive,First Seen,Last Seen,Coverage Kind,Coverage Description,Coverage Agreement ID,Coverage Status,Coverage Payment Type,Coverage Start,Coverage End,Coverage Canceled',
  'X1,=HYPERLINK("http://evil.example"),-,yes,2020-01-01T00:00:00Z,2024-01-01T00:00:00Z,AppleCare+,"AppleCare+, with ""quotes""",AGR-1,ACTIVE,SUBSCRIPTION,2024-01-01,2026-01-01,false',
  'X1,=HYPERLINK("http://evil.example"),-,yes,2020-01-01T00:00:00Z,2024-01-01T00:00:00Z,AppleCare+,renewed,AGR-2,CANCELED,PAID_UP_FRONT,2026-01-01,2027-01-01,true',
  `X2,"two\nlines",@admin,no,,,Limited Warranty,,,,,,2023-01-01,false`,
  `X3,'+plus already guarded,+1,,,,,,,,,,,`,
].join('\r\n')

// Two IMEIs (a dual-SIM phone), an EID and a Wi-Fi address, as the sync stores them.
const SYNCED_IDENTIFIERS = JSON.stringify({
  imei: ['356938035643809', '356938035643817'],
  meid: [],
  eid: ['89049032000001000000000000000123'],
  wifiMac: ['aa:bb:cc:dd:ee:01'],
  bluetoothMac: [],
  ethernetMac: [],
})

describe('CSV export and snapshot', () => {
  const tenants = useTenantDataDir()

  function filled(tenantId = 'tenant-a') {
    const db = tenants.open(tenantId)
    expect(db.importCsv(readCsvFixture('abm-warranty.csv'), NOW).errors).toEqual([])
    expect(db.importCsv(AWKWARD, NOW).errors).toEqual([])
    return db
  }

  it('reads its own export back into a fresh database without loss', () => {
    const original = filled()
    const exported = original.exportCsv()
    const copy = tenants.open('tenant-b')
    expect(copy.importCsv(exported, new Date('2030-01-01T00:00:00Z')).errors).toEqual([])
    expect(copy.snapshot()).toEqual(original.snapshot())
    expect(copy.counts(NOW)).toEqual(original.counts(NOW))
    expect(copy.exportCsv()).toBe(exported)
  })

  it('carries the fields the sync brings (colour, capacity, order, purchase source, identifiers)', () => {
    const original = filled()
    tenants.inspect().exec(`UPDATE devices SET color = 'Space Black', capacity = '256GB',
      order_date = '2024-09-20T07:00:00.000Z', purchase_source_type = 'RESELLER',
      purchase_source_id = '1000123', identifiers = '${SYNCED_IDENTIFIERS}'
      WHERE serial = 'C02AAA000004'`)
    const exported = original.exportCsv()
    expect(exported).toContain(
      ',Space Black,256GB,2024-09-20T07:00:00.000Z,RESELLER,1000123,356938035643809 356938035643817,,89049032000001000000000000000123,aa:bb:cc:dd:ee:01,,,',
    )
    const copy = tenants.open('tenant-b')
    expect(copy.importCsv(exported, NOW).errors).toEqual([])
    expect(copy.snapshot()).toEqual(original.snapshot())
    const stored = (tenantId: string) =>
      tenants
        .inspect(tenantId)
        .prepare(
          `SELECT color, capacity, order_date, purchase_source_type,
        purchase_source_id, identifiers FROM devices WHERE serial = 'C02AAA000004'`,
        )
        .get()
    expect({ ...stored('tenant-b') }).toEqual({ ...stored('tenant-a') })
    expect(copy.exportCsv()).toBe(exported)
  })

  it('hashes identifiers by their lists: none, all empty and unwritten lists are the same', () => {
    const db = filled()
    const before = db.snapshot()
    const empty = JSON.stringify({
      imei: [],
      meid: [],
      eid: [],
      wifiMac: [],
      bluetoothMac: [],
      ethernetMac: [],
    })
    tenants
      .inspect()
      .exec(`UPDATE devices SET identifiers = '${empty}' WHERE serial = 'C02AAA000004'`)
    expect(db.snapshot().contentHash).toBe(before.contentHash)
    tenants
      .inspect()
      .exec(`UPDATE devices SET identifiers = '{"eid":[]}' WHERE serial = 'C02AAA000004'`)
    expect(db.snapshot().contentHash).toBe(before.contentHash)
    tenants
      .inspect()
      .exec(`UPDATE devices SET identifiers = '{"eid":["8904"]}' WHERE serial = 'C02AAA000004'`)
    expect(db.snapshot().contentHash).not.toBe(before.contentHash)
  })

  it('round-trips a generated tenant of 2,000 devices with 3 coverage records each', () => {
    const original = tenants.open()
    expect(original.importCsv(generateDevicesCsv(2_000, 3), NOW).errors).toEqual([])
    const copy = tenants.open('tenant-b')
    copy.importCsv(original.exportCsv(), NOW)
    expect(copy.snapshot()).toEqual(original.snapshot())
    expect(original.snapshot()).toMatchObject({ devices: 2_000, coverage: 6_000 })
  })

  it('writes one row per coverage record and one row for a device without coverage', () => {
    const lines = filled().exportCsv().trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'Serial,Make,Model,Product Family,Product Type,Status,Order Number,Part Number,Added To Org DateTime,Released From Org DateTime,First Seen,Last Seen,Inactive,Color,Capacity,Order DateTime,Purchase Source Type,Purchase Source ID,IMEI,MEID,EID,Wi-Fi MAC Address,Bluetooth MAC Address,Ethernet MAC Address,Coverage Kind,Coverage Description,Coverage Agreement ID,Coverage Status,Coverage Payment Type,Coverage Start,Coverage End,Coverage Canceled',
    )
    const rowsOf = (serial: string) => lines.filter((line) => line.startsWith(`${serial},`))
    expect(rowsOf('C02AAA000001')).toHaveLength(2)
    expect(rowsOf('C02AAA000004')).toEqual([
      'C02AAA000004,Apple,iPhone 15,iPhone,"iPhone15,4",ASSIGNED,ORD-1004,MTLX3LL/A,2024-10-01T09:00:00.000Z,,2025-06-01T12:00:00.000Z,2025-06-01T12:00:00.000Z,false,,,,,,,,,,,,,,,,,,,',
    ])
  })

  it('guards cells that a spreadsheet would run as formulas', () => {
    const text = filled().exportCsv()
    expect(text).toContain(`X1,,"'=HYPERLINK(""http://evil.example"")",,,'-,`)
    expect(text).toContain(`"two\nlines",,,'@admin,`)
    // The apostrophe the file already had was read as a guard, so it is written back once.
    expect(text).toContain(`X3,,'+plus already guarded,,,'+1,`)
    const cells = text.split(/[,\r\n]/)
    expect(cells.filter((cell) => /^[=+\-@]/.test(cell))).toEqual([])
  })

  it('writes the export to a file through a rename and counts its rows', () => {
    const db = filled()
    const path = join(tenants.dataDir(), 'export.csv')
    expect(db.exportCsvFile(path)).toMatchObject({ path, rows: 10 })
    expect(readFileSync(path, 'utf8')).toBe(db.exportCsv())
  })

  it('gives the same snapshot after reopening the database', () => {
    const before = filled().snapshot()
    expect(before).toMatchObject({ devices: 8, coverage: 8 })
    expect(before.contentHash).toMatch(/^[0-9a-f]{64}$/)
    tenants.open().close()
    expect(tenants.open().snapshot()).toEqual(before)
  })

  it('gives the same snapshot for the same data imported in another order', () => {
    const csv = readCsvFixture('abm-warranty.csv').trimEnd().split('\r\n')
    const reversed = [csv[0], ...csv.slice(1).reverse()].join('\r\n')
    tenants.open('tenant-a').importCsv(csv.join('\r\n'), NOW)
    tenants.open('tenant-b').importCsv(reversed, NOW)
    expect(tenants.open('tenant-b').snapshot()).toEqual(tenants.open('tenant-a').snapshot())
  })

  it('answers from its cache only while nothing was written since it was taken', () => {
    const db = filled()
    const cached = db.snapshot()
    expect(snapshotTenantData(tenants.inspect())).toEqual(cached)
    const state = () => {
      const row = tenants.inspect().prepare('SELECT * FROM content_state').get()
      return { generation: Number(row?.generation), snapshot: Number(row?.snapshot_generation) }
    }
    const taken = state()
    expect(taken.snapshot).toBe(taken.generation)
    expect(db.snapshot()).toEqual(cached)
    expect(state()).toEqual(taken)
    expect(db.importCsv('Serial,Model\nX9,New\n', NOW).errors).toEqual([])
    // The import does not hash what it wrote; its writes moved the generation past the snapshot.
    expect(state().generation).toBeGreaterThan(taken.generation)
    expect(state().snapshot).toBe(taken.snapshot)
    expect(db.snapshot()).toEqual(snapshotTenantData(tenants.inspect()))
    expect(state().snapshot).toBe(state().generation)
    expect(db.snapshot().devices).toBe(cached.devices + 1)
  })

  it.each([
    ['a device field changes', 'Serial,Model\nX3,Renamed\n'],
    ['a coverage record is added', 'Serial,AC+ Start,AC+ End\nX3,2025-01-01,2026-01-01\n'],
    [
      'a coverage record is canceled',
      'Serial,Coverage Agreement ID,Coverage Kind,Coverage Description,Coverage End,Coverage Canceled\nX1,AGR-1,AppleCare+,"AppleCare+, with ""quotes""",2026-01-01,true\n',
    ],
    ['a device is marked inactive', 'Serial,Inactive\nX2,true\n'],
  ])('changes the snapshot hash when %s', (_, change) => {
    const db = filled()
    const before = db.snapshot()
    expect(db.importCsv(change, NOW).errors).toEqual([])
    expect(db.snapshot().contentHash).not.toBe(before.contentHash)
  })
})
