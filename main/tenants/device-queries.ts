// What the Devices screen reads: the tile counts, the number of devices a view shows, and one page
// of the table. All work on the devices table alone (its best-coverage columns are kept by the
// writers), so a tile is a range count on an index, a search goes through the trigram index, and
// a page is a walk of the serial index from a key (keyset paging: the last page costs what the
// first does, where OFFSET would read every row before it).
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite'
import type { DeviceCounts, DeviceCursor, DeviceFilter, DeviceRow } from '../../preload/model'
import { coverageWindow } from './dates'

/**
 * The WHERE term of each tile and filter, over the column expression `end` (the best coverage
 * end). The one place that says what a tile counts: change a definition here and the tile, the
 * filter and the total follow.
 */
const FILTER_SQL: Record<DeviceFilter, (end: string) => string> = {
  all: () => '1',
  inCoverage: (end) => `${end} >= :today`,
  expiringSoon: (end) => `${end} >= :today AND ${end} < :soonEnd`,
  expired: (end) => `${end} < :today`,
  noData: (end) => noDataSql(end),
  inactive: () => 'inactive = 1',
}

/**
 * No Data: Apple gave no answer for the device last time it was asked (its last known coverage
 * stays, but is not current), or it was never asked and no CSV brought coverage. A device Apple
 * answered for with no coverage record, or did not find, has its answer: that is not No Data.
 */
export function noDataSql(end: string, outcome = 'coverage_outcome'): string {
  return `(${outcome} = 'unavailable' OR (${outcome} IS NULL AND ${end} IS NULL))`
}

const COUNTED: Record<keyof DeviceCounts, DeviceFilter> = {
  devices: 'all',
  inCoverage: 'inCoverage',
  expiringSoon: 'expiringSoon',
  expired: 'expired',
  noData: 'noData',
  inactive: 'inactive',
}

/**
 * How many devices a filter holds, summed over the coverage-end buckets of device_tile_counts
 * (see tenant-schema.ts): each tile's own filter over a bucket's end day, and No Data from the
 * bucket's flag. Inactive devices are counted on their partial index.
 */
function filterCountSql(filter: DeviceFilter): string {
  if (filter === 'inactive')
    return `(SELECT count(*) FROM devices WHERE ${FILTER_SQL.inactive('')})`
  const where = filter === 'noData' ? 'no_data = 1' : FILTER_SQL[filter]("nullif(end_day, '')")
  return `(SELECT coalesce(sum(devices), 0) FROM device_tile_counts WHERE ${where})`
}

const COUNTS_SQL = `SELECT ${Object.entries(COUNTED)
  .map(([tile, filter]) => `${filterCountSql(filter)} AS ${tile}`)
  .join(', ')}`

export function countDevices(db: DatabaseSync, now: Date): DeviceCounts {
  const row = db.prepare(COUNTS_SQL).get({ ...coverageWindow(now) }) ?? {}
  const counts = {} as DeviceCounts
  for (const tile of Object.keys(COUNTED) as (keyof DeviceCounts)[]) {
    counts[tile] = Number(row[tile])
  }
  return counts
}

/** The devices a view shows: a tile's filter and a search. */
export interface DeviceView {
  filter: DeviceFilter
  /** Case-insensitive substring of the serial, model or family; blank matches every device. */
  search: string
}

export interface DeviceQuery extends DeviceView {
  cursor: DeviceCursor
  limit: number
}

// The trigram index finds substrings of 3 characters or more; a shorter search reads every device.
const MIN_INDEXED_SEARCH = 3

/** The WHERE clause (its terms, over the devices table) and its parameters for a view. */
export function viewWhere({ filter, search }: DeviceView, now: Date) {
  const text = search.trim()
  const where: string[] = []
  const params: Record<string, string> = { ...coverageWindow(now) }
  if (text.length >= MIN_INDEXED_SEARCH) {
    // One FTS5 phrase: a substring of any of the three columns. Doubling a quote escapes it.
    where.push('rowid IN (SELECT rowid FROM devices_search WHERE devices_search MATCH :match)')
    params.match = `"${text.replaceAll('"', '""')}"`
  } else if (text !== '') {
    where.push(`(serial LIKE :pattern ESCAPE '\\' OR model LIKE :pattern ESCAPE '\\'
      OR family LIKE :pattern ESCAPE '\\')`)
    params.pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  }
  // With a search, the matches are few next to the coverage-end range: `+` keeps the planner on
  // the search (it cannot tell without statistics).
  where.push(FILTER_SQL[filter](text === '' ? 'best_coverage_end' : '+best_coverage_end'))
  return { where, params }
}

/** How many devices the view shows: counted once per view, not once per page. */
export function countView(db: DatabaseSync, view: DeviceView, now: Date): number {
  if (view.search.trim() === '') {
    const statement = db.prepare(`SELECT ${filterCountSql(view.filter)} AS total`)
    statement.setAllowUnknownNamedParameters(true)
    return Number(statement.get({ ...coverageWindow(now) })?.total ?? 0)
  }
  const { where, params } = viewWhere(view, now)
  const statement = db.prepare(`SELECT count(*) AS total FROM devices WHERE ${where.join(' AND ')}`)
  statement.setAllowUnknownNamedParameters(true)
  return Number(statement.get(params)?.total ?? 0)
}

const ROW_COLUMNS = `serial, model, family, status, inactive, best_coverage_description AS coverage,
  best_coverage_end AS coverageEnd,
  CASE
    WHEN ${noDataSql('best_coverage_end')} THEN 'noData'
    WHEN best_coverage_end IS NULL AND coverage_outcome = 'notFound' THEN 'notFound'
    WHEN best_coverage_end IS NULL THEN 'noRecord'
    WHEN best_coverage_end < :today THEN 'expired'
    WHEN best_coverage_end < :soonEnd THEN 'expiringSoon'
    ELSE 'active'
  END AS coverageState`

/**
 * One page of the view in serial order: the first, the last, the one after or before a serial the
 * table already shows, or (for a jump of the scroll bar) the one starting at a position, whose key
 * is found on the serial index alone.
 */
export function queryDevices(db: DatabaseSync, query: DeviceQuery, now: Date): DeviceRow[] {
  const { where, params } = viewWhere(query, now)
  const { cursor } = query
  const descending = 'before' in cursor || ('from' in cursor && cursor.from === 'end')
  const bound: Record<string, string | number> = {}
  if ('after' in cursor) {
    where.push('serial > :after')
    bound.after = cursor.after
  } else if ('before' in cursor) {
    where.push('serial < :before')
    bound.before = cursor.before
  } else if ('index' in cursor) {
    where.push(`serial >= (SELECT serial FROM devices WHERE ${where.join(' AND ')}
      ORDER BY serial LIMIT 1 OFFSET :index)`)
    bound.index = cursor.index
  }
  const statement = db.prepare(`SELECT ${ROW_COLUMNS} FROM devices WHERE ${where.join(' AND ')}
    ORDER BY serial ${descending ? 'DESC' : 'ASC'} LIMIT :limit`)
  statement.setAllowUnknownNamedParameters(true)
  const rows = statement.all({ ...params, ...bound, limit: query.limit }).map(toDeviceRow)
  return descending ? rows.reverse() : rows
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
    inactive: row.inactive === 1,
  }
}
