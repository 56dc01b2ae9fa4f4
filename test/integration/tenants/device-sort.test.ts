// The Devices table sorted by each column, paged by key over a real SQLite file: every way of
// reaching a page (from either end, after or before a row, at a position) gives the rows one
// ORDER BY over the plain columns gives, missing values last ascending (first descending), ties
// broken by serial; and the plan of a page walks the sort's index instead of sorting.
import { describe, expect, it } from 'vitest'
import type { SQLInputValue } from 'node:sqlite'
import { exportSql } from '../../../main/tenants/csv-export'
import { keyAtSql, pageSql, sortOrderSql, viewWhere } from '../../../main/tenants/device-queries'
import {
  deviceKey,
  deviceSortColumnSchema,
  type DeviceCursor,
  type DeviceFilter,
  type DeviceRow,
  type DeviceSort,
  type DeviceSortColumn,
} from '../../../preload/model'
import type { TenantDatabase } from '../../../main/tenants/tenant-database'
import { seededRandom } from '../../support/mutate'
import { NOW, useTenantDataDir } from './support/tenant-fixture'

const SORTS: DeviceSort[] = deviceSortColumnSchema.options.flatMap((column) => [
  { column, descending: false },
  { column, descending: true },
])

// The reference order of each column, written over the stored columns (not the sort keys): the
// missing ones last, text without case, serial breaking ties.
const REFERENCE_ORDER: Record<DeviceSortColumn, string> = {
  serial: 'serial',
  model: 'model IS NULL, model COLLATE NOCASE, serial',
  family: 'family IS NULL, family COLLATE NOCASE, serial',
  coverage: 'best_coverage_description IS NULL, best_coverage_description COLLATE NOCASE, serial',
  coverageEnd: 'best_coverage_end IS NULL, best_coverage_end, serial',
  status: 'inactive, status IS NULL, status COLLATE NOCASE, serial',
}

/** 240 devices with few distinct values (many ties), some missing, mixed case, some inactive. */
function datasetCsv(): string {
  const random = seededRandom(11)
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!
  const lines = ['Serial,Model,Product Family,Status,Inactive,Coverage Description,Coverage End']
  for (let i = 0; i < 240; i++) {
    const serial = `S${String(Math.floor(random() * 1e6)).padStart(6, '0')}-${i}`
    const model = pick(['iPad Air', 'ipad air', 'MacBook Pro', 'iPhone 15', ''])
    const family = pick(['iPad', 'Mac', 'iPhone', ''])
    const status = pick(['ASSIGNED', 'UNASSIGNED', ''])
    const inactive = random() < 0.15 ? 'true' : 'false'
    const covered = random() < 0.7
    const description = covered ? pick(['AppleCare+', 'Limited Warranty', 'applecare+']) : ''
    const end = covered ? pick(['2024-03-01', '2025-07-01', '2027-01-31', '2025-06-01']) : ''
    lines.push([serial, model, family, status, inactive, description, end].join(','))
  }
  return lines.join('\n')
}

describe('devices sorted by each column', () => {
  const tenants = useTenantDataDir()

  function seeded() {
    const db = tenants.open()
    expect(db.importCsv(datasetCsv(), NOW).errors).toEqual([])
    return db
  }

  /** The serials of a view in a sort, by one ORDER BY over the plain columns. */
  function referenceOrder(sort: DeviceSort, filter: DeviceFilter = 'all', search = ''): string[] {
    const db = tenants.open()
    const members = new Set(
      db
        .query({ filter, search, cursor: { from: 'start' }, limit: 1000 }, NOW)
        .map((r) => r.serial),
    )
    const rows = tenants
      .inspect()
      .prepare(`SELECT serial FROM devices ORDER BY ${REFERENCE_ORDER[sort.column]}`)
      .all()
      .map((row) => String(row.serial))
      .filter((serial) => members.has(serial))
    return sort.descending ? rows.reverse() : rows
  }

  /** Every row of the sort, a page of `limit` at a time, from one end by the keys of the last page. */
  function pageThrough(db: TenantDatabase, sort: DeviceSort, backward: boolean, limit: number) {
    const seen: DeviceRow[] = []
    let cursor: DeviceCursor = { from: backward ? 'end' : 'start' }
    for (;;) {
      const page = db.query({ filter: 'all', search: '', sort, cursor, limit }, NOW)
      if (backward) seen.unshift(...page)
      else seen.push(...page)
      if (page.length < limit) return seen.map((row) => row.serial)
      cursor = backward
        ? { before: deviceKey(page[0]!, sort.column) }
        : { after: deviceKey(page.at(-1)!, sort.column) }
    }
  }

  it.each(SORTS)('pages forward after each last row through everything: %o', (sort) => {
    expect(pageThrough(seeded(), sort, false, 7)).toEqual(referenceOrder(sort))
  })

  it.each(SORTS)('pages backward from the end before each first row: %o', (sort) => {
    const db = seeded()
    const seen = pageThrough(db, sort, true, 9)
    const expected = referenceOrder(sort)
    expect(seen).toEqual(expected)
    const last = db.query(
      { filter: 'all', search: '', sort, cursor: { from: 'end' }, limit: 5 },
      NOW,
    )
    expect(last.map((row) => row.serial)).toEqual(expected.slice(-5))
  })

  it.each(SORTS)('starts a page at any position of the sort: %o', (sort) => {
    const db = seeded()
    const expected = referenceOrder(sort)
    for (const index of [0, 1, 57, 120, 233, 239, 240]) {
      const page = db.query({ filter: 'all', search: '', sort, cursor: { index }, limit: 6 }, NOW)
      expect(page.map((row) => row.serial)).toEqual(expected.slice(index, index + 6))
    }
  })

  it.each([
    ['inCoverage', 'ipad', { column: 'coverageEnd', descending: true }],
    ['expired', '', { column: 'model', descending: false }],
    ['inactive', '', { column: 'status', descending: true }],
    ['inactive', '', { column: 'model', descending: false }],
    ['inactive', '', { column: 'coverageEnd', descending: true }],
    ['inactive', '', { column: 'serial', descending: true }],
    ['noData', 'mac', { column: 'family', descending: false }],
    ['all', 'S0', { column: 'coverage', descending: true }],
    ['expiringSoon', 'ai', { column: 'serial', descending: true }],
  ] as const)('sorts the %s tile searched for "%s" by %o', (filter, search, sort) => {
    const db = seeded()
    const expected = referenceOrder(sort, filter, search)
    expect(expected.length).toBeGreaterThan(3)
    const view = { filter, search, sort, limit: 3 }
    const first = db.query({ ...view, cursor: { from: 'start' } }, NOW)
    const second = db.query({ ...view, cursor: { after: deviceKey(first[2]!, sort.column) } }, NOW)
    const last = db.query({ ...view, cursor: { from: 'end' } }, NOW)
    const atOne = db.query({ ...view, cursor: { index: 1 } }, NOW)
    expect([...first, ...second].map((row) => row.serial)).toEqual(expected.slice(0, 6))
    expect(last.map((row) => row.serial)).toEqual(expected.slice(-3))
    expect(atOne.map((row) => row.serial)).toEqual(expected.slice(1, 4))
  })

  it('puts missing values last ascending and first descending, ties in serial order', () => {
    const db = tenants.open()
    db.importCsv(
      [
        'Serial,Model,Status,Inactive',
        'D4,,ASSIGNED,false',
        'A1,iPad Air,UNASSIGNED,true',
        'C3,ipad air,,false',
        'B2,,UNASSIGNED,false',
        'E5,Apple TV,assigned,false',
      ].join('\n'),
      NOW,
    )
    const order = (sort: DeviceSort) =>
      db
        .query({ filter: 'all', search: '', sort, cursor: { from: 'start' }, limit: 10 }, NOW)
        .map((row) => row.serial)
    expect(order({ column: 'model', descending: false })).toEqual(['E5', 'A1', 'C3', 'B2', 'D4'])
    expect(order({ column: 'model', descending: true })).toEqual(['D4', 'B2', 'C3', 'A1', 'E5'])
    // Those still in the organisation by status (case aside), then those that left.
    expect(order({ column: 'status', descending: false })).toEqual(['D4', 'E5', 'B2', 'C3', 'A1'])
    expect(order({ column: 'coverageEnd', descending: false })).toEqual([
      'A1',
      'B2',
      'C3',
      'D4',
      'E5',
    ])
  })

  it('continues after a row whose value is missing, or from a key no row has any more', () => {
    const db = seeded()
    const sort: DeviceSort = { column: 'model', descending: false }
    const expected = referenceOrder(sort)
    const query = (cursor: DeviceCursor) =>
      db.query({ filter: 'all', search: '', sort, cursor, limit: 500 }, NOW)
    const rows = query({ from: 'start' })
    const missing = rows.findIndex((row) => row.model === null)
    expect(missing).toBeGreaterThan(0)
    const afterMissing = query({ after: { serial: rows[missing]!.serial, model: null } })
    expect(afterMissing.map((row) => row.serial)).toEqual(expected.slice(missing + 1))
    // The row a key came from was renamed meanwhile: the page starts where the key would be.
    const lastAir = rows.findLastIndex((row) => row.model?.toLowerCase() === 'ipad air')
    const afterAir = query({ after: { serial: 'Z', model: 'IPAD AIR' } })
    expect(afterAir.map((row) => row.serial)).toEqual(expected.slice(lastAir + 1))
  })

  describe('query plans', () => {
    const explain = (sql: string, params: Record<string, SQLInputValue>) => {
      const statement = tenants.inspect().prepare(`EXPLAIN QUERY PLAN ${sql}`)
      statement.setAllowUnknownNamedParameters(true)
      return statement
        .all(params)
        .map((row) => String(row.detail))
        .join('\n')
    }
    const query = (sort: DeviceSort, cursor: DeviceCursor, filter: DeviceFilter = 'all') =>
      ({ filter, search: '', sort, cursor, limit: 200 }) as const
    /** The plans of a page, and for an index cursor the plan that finds its key first. */
    const plans = (sort: DeviceSort, cursor: DeviceCursor, filter: DeviceFilter = 'all') => {
      const page = query(sort, cursor, filter)
      if (!('index' in cursor)) {
        const { sql, params } = pageSql({ ...page, cursor }, NOW)
        return [explain(sql, params)]
      }
      const keyAt = keyAtSql(page, cursor.index, NOW)
      const statement = tenants.inspect().prepare(keyAt.sql)
      statement.setAllowUnknownNamedParameters(true)
      const [row] = statement.all(keyAt.params)
      const { sql, params } = pageSql({ ...page, cursor: { from: Object.values(row!) } }, NOW)
      return [explain(keyAt.sql, keyAt.params), explain(sql, params)]
    }
    const INDEX: Record<DeviceSortColumn, string> = {
      serial: 'sqlite_autoindex_devices_1',
      model: 'devices_sort_model',
      family: 'devices_sort_family',
      coverage: 'devices_sort_coverage',
      coverageEnd: 'devices_sort_coverage_end',
      status: 'devices_sort_status',
    }
    const row: DeviceRow = {
      serial: 'S5',
      model: 'x',
      family: null,
      status: 'x',
      coverage: 'x',
      coverageEnd: '2025-01-01',
      coverageState: 'active',
      inactive: false,
    }

    it.each(SORTS)('walks the sort index for every cursor, without sorting: %o', (sort) => {
      seeded()
      const cursors: DeviceCursor[] = [
        { from: 'start' },
        { from: 'end' },
        { after: deviceKey(row, sort.column) },
        { before: deviceKey(row, sort.column) },
        { index: 100 },
      ]
      for (const cursor of cursors) {
        for (const detail of plans(sort, cursor)) {
          expect(detail).toContain(INDEX[sort.column])
          expect(detail).not.toContain('TEMP B-TREE')
        }
      }
    })

    it.each(SORTS)(
      'exports a view by walking the sort index, sorting no more than a device: %o',
      (sort) => {
        seeded()
        for (const view of [
          { filter: 'expired', search: '' },
          { filter: 'all', search: 'iPad' },
        ] as const) {
          const { where, params } = viewWhere(view, NOW)
          const detail = explain(
            exportSql({ where, params, order: sortOrderSql(sort, 'd') }),
            params,
          )
          expect(detail).toMatch(new RegExp(`SCAN d USING (COVERING )?INDEX ${INDEX[sort.column]}`))
          // A device's coverage rows are put in order; the file's rows are never sorted as a whole.
          expect(detail).not.toContain('TEMP B-TREE FOR ORDER BY')
        }
      },
    )

    it.each(SORTS)('seeks to a key on the whole key, not only its first column: %o', (sort) => {
      seeded()
      const seek = new RegExp(
        `SEARCH devices USING (COVERING )?INDEX ${INDEX[sort.column]} \\(\\(?[a-z_,]*serial\\)?[<>]=?\\(?\\?`,
      )
      const key = deviceKey(row, sort.column)
      for (const cursor of [{ after: key }, { before: key }, { index: 10 }] as DeviceCursor[]) {
        expect(plans(sort, cursor).at(-1)).toMatch(seek)
      }
    })

    it.each(['inCoverage', 'expiringSoon', 'expired'] as const)(
      'walks the %s tile sorted by end date within its dates, from either end',
      (filter) => {
        seeded()
        for (const descending of [false, true]) {
          for (const cursor of [{ from: 'start' }, { from: 'end' }, { index: 5 }] as const) {
            const sort = { column: 'coverageEnd', descending } as const
            const [walk] = plans(sort, cursor, filter)
            expect(walk).toMatch(
              /SEARCH devices USING .*devices_sort_coverage_end \(sort_coverage_end[<>]/,
            )
            expect(walk).not.toContain('TEMP B-TREE')
          }
        }
      },
    )

    it.each(SORTS)(
      'walks the Inactive tile on an index of its own, without sorting: %o',
      (sort) => {
        seeded()
        const index = {
          ...INDEX,
          serial: 'devices_inactive',
          model: 'devices_inactive_sort_model',
          family: 'devices_inactive_sort_family',
          coverage: 'devices_inactive_sort_coverage',
          coverageEnd: 'devices_inactive_sort_coverage_end',
        }
        for (const cursor of [{ from: 'start' }, { from: 'end' }, { index: 5 }] as const) {
          for (const detail of plans(sort, cursor, 'inactive')) {
            expect(detail).toContain(index[sort.column])
            expect(detail).not.toContain('TEMP B-TREE')
          }
        }
      },
    )

    it('walks the No Data tile sorted by end date on its own index, from either end', () => {
      seeded()
      for (const descending of [false, true]) {
        for (const cursor of [{ from: 'start' }, { from: 'end' }, { index: 5 }] as const) {
          const sort = { column: 'coverageEnd', descending } as const
          for (const detail of plans(sort, cursor, 'noData')) {
            expect(detail).toContain('devices_no_data_sort_coverage_end')
            expect(detail).not.toContain('TEMP B-TREE')
          }
        }
      }
    })
  })
})
