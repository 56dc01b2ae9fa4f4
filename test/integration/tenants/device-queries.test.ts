import { describe, expect, it } from 'vitest'
import type { DeviceCursor, DeviceFilter } from '../../../preload/model'
import { countActiveNoData } from '../../../main/tenants/device-queries'
import { NOW, useTenantDataDir } from './support/tenant-fixture'

// With NOW = 2025-06-01, coverage ending 2025-06-01 … 2025-08-30 ends within 90 days.
const DATASET = [
  'Serial,Model,Product Family,Coverage Kind,Coverage Agreement ID,Coverage End,Coverage Canceled',
  'A-ACTIVE,iPad Air,iPad,AppleCare+,AGR-A,2025-08-31,false',
  'B-SOON-EDGE,MacBook Pro,Mac,Limited Warranty,,2025-08-30,false',
  'C-TODAY,iPhone 15,iPhone,Limited Warranty,,2025-06-01,false',
  'D-TODAY-TS,iPad mini,iPad,AppleCare+,AGR-D,2025-06-01T00:00:00Z,false',
  'E-YESTERDAY,Mac mini,Mac,Limited Warranty,,2025-05-31,false',
  'F-NONE,Apple TV 4K,AppleTV,,,,',
  'G-MIXED,iMac (24-inch) 100%,Mac,Limited Warranty,,2020-01-01,false',
  'G-MIXED,iMac (24-inch) 100%,Mac,AppleCare+,AGR-G,2028-01-01,false',
  'H-CANCELED,iPhone 14,iPhone,AppleCare+,AGR-H,2030-01-01,true',
].join('\n')

describe('device counts and queries', () => {
  const tenants = useTenantDataDir()

  function seeded() {
    const db = tenants.open()
    expect(db.importCsv(DATASET, NOW).errors).toEqual([])
    return db
  }

  const serials = (filter: DeviceFilter, search = ''): string[] =>
    seeded()
      .query({ filter, search, cursor: { from: 'start' }, limit: 100 }, NOW)
      .map((row) => row.serial)

  it('counts every tile from each device’s latest-ending, non-canceled coverage', () => {
    expect(seeded().counts(NOW)).toEqual({
      devices: 8,
      inCoverage: 5,
      expiringSoon: 3,
      expired: 1,
      noData: 2,
      inactive: 0,
    })
  })

  it('counts zero everywhere for an empty tenant', () => {
    expect(tenants.open().counts(NOW)).toEqual({
      devices: 0,
      inCoverage: 0,
      expiringSoon: 0,
      expired: 0,
      noData: 0,
      inactive: 0,
    })
  })

  it('moves devices between tiles as time passes', () => {
    const db = seeded()
    expect(db.counts(new Date('2025-06-02T00:00:00Z'))).toMatchObject({
      expired: 3,
      expiringSoon: 2,
    })
    expect(db.counts(new Date('2024-01-01T00:00:00Z'))).toMatchObject({
      expired: 0,
      expiringSoon: 0,
    })
  })

  it.each([
    [
      'all',
      [
        'A-ACTIVE',
        'B-SOON-EDGE',
        'C-TODAY',
        'D-TODAY-TS',
        'E-YESTERDAY',
        'F-NONE',
        'G-MIXED',
        'H-CANCELED',
      ],
    ],
    ['inCoverage', ['A-ACTIVE', 'B-SOON-EDGE', 'C-TODAY', 'D-TODAY-TS', 'G-MIXED']],
    ['expiringSoon', ['B-SOON-EDGE', 'C-TODAY', 'D-TODAY-TS']],
    ['expired', ['E-YESTERDAY']],
    ['noData', ['F-NONE', 'H-CANCELED']],
  ] as const)('filters the %s tile, ordered by serial', (filter, expected) => {
    expect(serials(filter)).toEqual(expected)
  })

  it('answers rows with the best coverage and its state', () => {
    const rows = seeded().query(
      { filter: 'all', search: 'g-mixed', cursor: { from: 'start' }, limit: 10 },
      NOW,
    )
    expect(rows).toEqual([
      {
        serial: 'G-MIXED',
        model: 'iMac (24-inch) 100%',
        family: 'Mac',
        status: null,
        coverage: 'AppleCare+',
        coverageEnd: '2028-01-01',
        coverageState: 'active',
        inactive: false,
      },
    ])
  })

  it('searches serial, model and family as case-insensitive substrings', () => {
    expect(serials('all', 'IPAD')).toEqual(['A-ACTIVE', 'D-TODAY-TS'])
    expect(serials('all', 'today')).toEqual(['C-TODAY', 'D-TODAY-TS'])
    expect(serials('all', ' appletv ')).toEqual(['F-NONE'])
    expect(serials('expiringSoon', 'iphone')).toEqual(['C-TODAY'])
  })

  it('treats % and _ in a search as plain characters', () => {
    expect(serials('all', '100%')).toEqual(['G-MIXED'])
    expect(serials('all', '%')).toEqual(['G-MIXED'])
    expect(serials('all', '_')).toEqual([])
  })

  it('pages by key from either end and after or before a serial, and counts a view once', () => {
    const db = seeded()
    const page = (cursor: DeviceCursor) =>
      db.query({ filter: 'inCoverage', search: '', cursor, limit: 2 }, NOW).map((row) => row.serial)
    expect(db.countView({ filter: 'inCoverage', search: '' }, NOW)).toBe(5)
    expect(page({ from: 'start' })).toEqual(['A-ACTIVE', 'B-SOON-EDGE'])
    expect(page({ after: { serial: 'B-SOON-EDGE' } })).toEqual(['C-TODAY', 'D-TODAY-TS'])
    expect(page({ after: { serial: 'D-TODAY-TS' } })).toEqual(['G-MIXED'])
    expect(page({ after: { serial: 'G-MIXED' } })).toEqual([])
    expect(page({ from: 'end' })).toEqual(['D-TODAY-TS', 'G-MIXED'])
    expect(page({ before: { serial: 'D-TODAY-TS' } })).toEqual(['B-SOON-EDGE', 'C-TODAY'])
    expect(page({ index: 3 })).toEqual(['D-TODAY-TS', 'G-MIXED'])
  })

  it('counts and filters the inactive devices', () => {
    const db = seeded()
    db.importCsv('Serial,Inactive\nE-YESTERDAY,true\nF-NONE,yes\n', NOW)
    expect(db.counts(NOW).inactive).toBe(2)
    expect(serials('inactive')).toEqual(['E-YESTERDAY', 'F-NONE'])
  })

  it('finds a search of fewer than three characters without the trigram index', () => {
    expect(serials('all', 'g-')).toEqual(['G-MIXED'])
    expect(serials('all', 'tv')).toEqual(['F-NONE'])
  })

  it('keeps the search index current through updates and deletes by any connection', () => {
    const db = seeded()
    const other = tenants.inspect()
    other.exec(`UPDATE devices SET model = 'Renamed Thing' WHERE serial = 'A-ACTIVE'`)
    other.exec(`DELETE FROM devices WHERE serial = 'F-NONE'`)
    const found = (search: string) =>
      db
        .query({ filter: 'all', search, cursor: { from: 'start' }, limit: 10 }, NOW)
        .map((row) => row.serial)
    expect(found('renamed thing')).toEqual(['A-ACTIVE'])
    expect(found('ipad air')).toEqual([])
    expect(found('appletv')).toEqual([])
    expect(db.countView({ filter: 'all', search: 'ipad' }, NOW)).toBe(2)
  })

  it('keeps the tile counts equal to counting every device, through writes by any connection', () => {
    const db = seeded()
    const other = tenants.inspect()
    other.exec(`UPDATE devices SET best_coverage_end = '2025-07-01T10:00:00.000Z' WHERE serial = 'A-ACTIVE';
      UPDATE devices SET coverage_outcome = 'unavailable' WHERE serial = 'E-YESTERDAY';
      UPDATE devices SET coverage_outcome = 'none' WHERE serial = 'F-NONE';
      UPDATE devices SET inactive = 1 WHERE serial IN ('G-MIXED', 'E-YESTERDAY');
      DELETE FROM devices WHERE serial = 'C-TODAY';
      INSERT INTO devices (serial, first_seen, last_seen, best_coverage_end)
        VALUES ('N-NEW', 'x', 'x', '2024-01-01'), ('O-OPEN', 'x', 'x', NULL);`)
    // The tiles' definitions, counted over every device (NOW is 2025-06-01; soon ends 2025-08-31).
    const counted = other
      .prepare(
        `SELECT count(*) AS devices,
          count(*) FILTER (WHERE best_coverage_end >= '2025-06-01') AS inCoverage,
          count(*) FILTER (WHERE best_coverage_end >= '2025-06-01'
            AND best_coverage_end < '2025-08-31') AS expiringSoon,
          count(*) FILTER (WHERE best_coverage_end < '2025-06-01') AS expired,
          count(*) FILTER (WHERE coverage_outcome = 'unavailable'
            OR (coverage_outcome IS NULL AND best_coverage_end IS NULL)) AS noData,
          count(*) FILTER (WHERE inactive = 1) AS inactive
        FROM devices`,
      )
      .get()
    expect(db.counts(NOW)).toEqual({ ...counted })
    expect(db.counts(NOW)).toMatchObject({ devices: 9, expiringSoon: 3, expired: 2, noData: 3 })
    const activeNoData = other
      .prepare(
        `SELECT count(*) AS n FROM devices WHERE inactive = 0 AND (coverage_outcome = 'unavailable'
          OR (coverage_outcome IS NULL AND best_coverage_end IS NULL))`,
      )
      .get()?.n
    expect(countActiveNoData(other)).toBe(activeNoData)
    expect(activeNoData).toBe(2)
    for (const filter of ['all', 'expired', 'noData', 'inactive'] as const) {
      const rows = db.query({ filter, search: '', cursor: { from: 'start' }, limit: 100 }, NOW)
      expect(db.countView({ filter, search: '' }, NOW)).toBe(rows.length)
    }
  })
})
