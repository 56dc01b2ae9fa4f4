// What the Devices screen reads: the tile counts and one page of the table. Both work on the
// devices table alone (its best-coverage columns are kept by the importer), so each tile is a
// range count on the best_coverage_end index and a page is a walk of the serial index.
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite'
import type { DeviceCounts, DeviceFilter, DeviceRow } from '../../preload/model'
import { coverageWindow } from './dates'

/** The WHERE term of each tile over the column expression `end` (the best coverage end). */
const FILTER_SQL: Record<DeviceFilter, (end: string) => string> = {
  all: () => '1',
  inCoverage: (end) => `${end} >= :today`,
  expiringSoon: (end) => `${end} >= :today AND ${end} < :soonEnd`,
  expired: (end) => `${end} < :today`,
  noData: (end) => `${end} IS NULL`,
}

const COUNTED: Record<keyof DeviceCounts, DeviceFilter> = {
  devices: 'all',
  inCoverage: 'inCoverage',
  expiringSoon: 'expiringSoon',
  expired: 'expired',
  noData: 'noData',
}

const COUNTS_SQL = `SELECT ${Object.entries(COUNTED)
  .map(
    ([tile, filter]) =>
      `(SELECT count(*) FROM devices WHERE ${FILTER_SQL[filter]('best_coverage_end')}) AS ${tile}`,
  )
  .join(', ')}`

export function countDevices(db: DatabaseSync, now: Date): DeviceCounts {
  const row = db.prepare(COUNTS_SQL).get({ ...coverageWindow(now) }) ?? {}
  return {
    devices: Number(row.devices),
    inCoverage: Number(row.inCoverage),
    expiringSoon: Number(row.expiringSoon),
    expired: Number(row.expired),
    noData: Number(row.noData),
  }
}

export interface DeviceQuery {
  filter: DeviceFilter
  /** Case-insensitive substring of the serial, model or family; blank matches every device. */
  search: string
  offset: number
  limit: number
}

export interface DevicePage {
  total: number
  rows: DeviceRow[]
}

export function queryDevices(db: DatabaseSync, query: DeviceQuery, now: Date): DevicePage {
  const search = query.search.trim()
  // A search reads every row anyway, and a scan in table order beats thousands of lookups through
  // the coverage-end index (the planner cannot tell without statistics); `+` keeps it off the index.
  const where = [
    FILTER_SQL[query.filter](search === '' ? 'best_coverage_end' : '+best_coverage_end'),
  ]
  if (search !== '') {
    where.push(`(serial LIKE :pattern ESCAPE '\\' OR model LIKE :pattern ESCAPE '\\'
      OR family LIKE :pattern ESCAPE '\\')`)
  }
  const params = {
    ...coverageWindow(now),
    pattern: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    limit: query.limit,
    offset: query.offset,
  }
  const whereSql = where.join(' AND ')
  const totalStatement = db.prepare(`SELECT count(*) AS total FROM devices WHERE ${whereSql}`)
  totalStatement.setAllowUnknownNamedParameters(true)
  const pageStatement = db.prepare(`
    SELECT serial, model, family, status, best_coverage_description AS coverage,
      best_coverage_end AS coverageEnd,
      CASE
        WHEN best_coverage_end IS NULL THEN 'none'
        WHEN best_coverage_end < :today THEN 'expired'
        WHEN best_coverage_end < :soonEnd THEN 'expiringSoon'
        ELSE 'active'
      END AS coverageState
    FROM devices WHERE ${whereSql}
    ORDER BY serial LIMIT :limit OFFSET :offset`)
  pageStatement.setAllowUnknownNamedParameters(true)
  return {
    total: Number(totalStatement.get(params)?.total ?? 0),
    rows: pageStatement.all(params).map(toDeviceRow),
  }
}

function toDeviceRow(row: Record<string, SQLOutputValue>): DeviceRow {
  const text = (value: SQLOutputValue | undefined): string | null =>
    value === null || value === undefined ? null : String(value)
  return {
    serial: String(row.serial),
    model: text(row.model),
    family: text(row.family),
    status: text(row.status),
    coverage: text(row.coverage),
    coverageEnd: text(row.coverageEnd),
    coverageState: row.coverageState as DeviceRow['coverageState'],
  }
}
