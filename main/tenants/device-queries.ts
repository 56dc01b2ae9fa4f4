// What the Devices screen reads: the tile counts, the number of devices a view shows, and one page
// of the table. All work on the devices table alone (its best-coverage columns are kept by the
// writers), so a tile is a range count on an index, a search goes through the trigram index, and
// a page is a walk of the sorted column's index from a key (keyset paging: the last page costs what
// the first does, where OFFSET would read every row before it).
import type { DatabaseSync, SQLInputValue, SQLOutputValue } from 'node:sqlite'
import {
  DEFAULT_DEVICE_SORT,
  DEVICE_SORT_FIELDS,
  type DeviceCounts,
  type DeviceCursor,
  type DeviceFilter,
  type DeviceKey,
  type DeviceRow,
  type DeviceSort,
  type DeviceSortColumn,
} from '../../preload/model'
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
 * How many devices a filter holds, summed over the buckets of device_tile_counts (see
 * tenant-schema.ts): each tile's own filter over a bucket's end day, No Data and Inactive from
 * the bucket's flags.
 */
function filterCountSql(filter: DeviceFilter, also = ''): string {
  const where =
    filter === 'noData'
      ? 'no_data = 1'
      : filter === 'inactive'
        ? FILTER_SQL.inactive('')
        : FILTER_SQL[filter]("nullif(end_day, '')")
  return `(SELECT coalesce(sum(devices), 0) FROM device_tile_counts WHERE ${where}${also})`
}

/** The devices still in the organisation that have No Data: what a partial sync asks for. */
export function countActiveNoData(db: DatabaseSync): number {
  return Number(db.prepare(`SELECT ${filterCountSql('noData', ' AND inactive = 0')} AS n`).get()?.n)
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
  /** Serial ascending when absent. */
  sort?: DeviceSort
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

/** The sort key column (tenant-schema's migration 6) of each field a sort reads. */
const SORT_KEY_COLUMNS: Record<Exclude<keyof DeviceKey, 'serial'>, string> = {
  model: 'sort_model',
  family: 'sort_family',
  status: 'sort_status',
  coverage: 'sort_coverage',
  coverageEnd: 'sort_coverage_end',
  inactive: 'inactive',
}

/**
 * A sort as SQL: its key as a row value of columns (serial last, which makes it unique) and of
 * parameters (:key0, :key1, …), and ORDER BY terms in either direction. A missing value is bound as
 * NULL and becomes x'', as the sort key columns store it.
 */
function sortKeySql(column: DeviceSortColumn) {
  const fields = DEVICE_SORT_FIELDS[column]
  const names = [...fields.map((field) => SORT_KEY_COLUMNS[field]), 'serial']
  return {
    list: names.join(', '),
    columns: `(${names.join(', ')})`,
    values: `(${names.map((_, i) => `coalesce(:key${i}, x'')`).join(', ')})`,
    /** ORDER BY terms, of the columns of `table` when another table in the query has a serial. */
    orderBy: (descending: boolean, table?: string) =>
      names
        .map((name) => `${table ? `${table}.` : ''}${name}${descending ? ' DESC' : ''}`)
        .join(', '),
    /** The values of a row's key, from the row's fields. */
    of: (key: DeviceKey): SQLInputValue[] => [
      ...fields.map((field) => {
        const value = key[field]
        return typeof value === 'boolean' ? Number(value) : (value ?? null)
      }),
      key.serial,
    ],
    bind: (values: readonly SQLInputValue[]): Record<string, SQLInputValue> =>
      Object.fromEntries(values.map((value, i) => [`key${i}`, value])),
  }
}

/**
 * The date tiles as ranges of the end-date sort key (x'' for no end sorts after every date), said
 * beside their FILTER_SQL terms: a walk of that sort's index from either end then starts and stops
 * at the tile's bounds instead of reading every device outside it first. Not with a cursor's key:
 * SQLite seeks by one of the two, and the key is the one that skips the rows already shown.
 */
const END_KEY_RANGES: Partial<Record<DeviceFilter, string>> = {
  inCoverage: `sort_coverage_end >= :today AND sort_coverage_end < x''`,
  expiringSoon: `sort_coverage_end >= :today AND sort_coverage_end < :soonEnd`,
  expired: `sort_coverage_end < :today`,
}

/** The view's WHERE terms for a walk of the sort's index from one of its ends. */
function walkWhere(query: DeviceView & Pick<DeviceQuery, 'sort'>, now: Date) {
  const view = viewWhere(query, now)
  const range = END_KEY_RANGES[query.filter]
  if (query.sort?.column === 'coverageEnd' && range && query.search.trim() === '') {
    view.where.push(range)
  }
  return view
}

// The Inactive tile's sorts walk indexes of the inactive devices alone (tenant-schema.ts). Without
// statistics the planner takes the status index, which begins with inactive, and sorts every
// inactive device for each page instead; so the index is named. Sorted by status, the status index
// is the right one.
const INACTIVE_SORT_INDEX: Partial<Record<DeviceSortColumn, string>> = {
  serial: 'devices_inactive',
  model: 'devices_inactive_sort_model',
  family: 'devices_inactive_sort_family',
  coverage: 'devices_inactive_sort_coverage',
  coverageEnd: 'devices_inactive_sort_coverage_end',
}

function sortIndexOf(query: DeviceView & Pick<DeviceQuery, 'sort'>): string {
  if (query.filter !== 'inactive' || query.search.trim() !== '') return ''
  const index = INACTIVE_SORT_INDEX[(query.sort ?? DEFAULT_DEVICE_SORT).column]
  return index ? ` INDEXED BY ${index}` : ''
}

function all(db: DatabaseSync, sql: string, params: Record<string, SQLInputValue>) {
  const statement = db.prepare(sql)
  statement.setAllowUnknownNamedParameters(true)
  return statement.all(params)
}

/**
 * One page of the view in the query's sort (serial ascending without one): the first, the last,
 * the one after or before a row the table already shows (keyset paging on the sort's key), or,
 * for a jump of the scroll bar, the one starting at a position: the key of the row there is found
 * first, by walking the sort's index alone, and the page is the one from that key. A page before a
 * row, or the last page, walks the index backwards and is turned around.
 */
/** ORDER BY terms that put the devices of `table` in a sort's order, as the table shows them. */
export function sortOrderSql(sort: DeviceSort, table: string): string {
  return sortKeySql(sort.column).orderBy(sort.descending, table)
}

export function queryDevices(db: DatabaseSync, query: DeviceQuery, now: Date): DeviceRow[] {
  let page: PageQuery
  if ('index' in query.cursor) {
    const { sql, params } = keyAtSql(query, query.cursor.index, now)
    const [row] = all(db, sql, params)
    if (!row) return []
    page = { ...query, cursor: { from: Object.values(row) } }
  } else {
    page = { ...query, cursor: query.cursor }
  }
  const { sql, params, backwards } = pageSql(page, now)
  const rows = all(db, sql, params).map(toDeviceRow)
  return backwards ? rows.reverse() : rows
}

/** The sort key of the row at `index` of the view: its serial by the walk, then its key columns. */
export function keyAtSql(query: DeviceQuery, index: number, now: Date) {
  const { where, params } = walkWhere(query, now)
  const sort = query.sort ?? DEFAULT_DEVICE_SORT
  const key = sortKeySql(sort.column)
  const sql = `SELECT ${key.list} FROM devices WHERE serial = (SELECT serial FROM devices${sortIndexOf(query)}
    WHERE ${where.join(' AND ')} ORDER BY ${key.orderBy(sort.descending)} LIMIT 1 OFFSET :index)`
  return { sql, params: { ...params, index } }
}

/** A page query whose index cursor became the key of the row there (keyAtSql): `from` that key. */
export interface PageQuery extends Omit<DeviceQuery, 'cursor'> {
  cursor: Exclude<DeviceCursor, { index: number }> | { from: readonly SQLInputValue[] }
}

/** The statement of queryDevices, and whether its rows come last first (to be turned around). */
export function pageSql(query: PageQuery, now: Date) {
  const { cursor } = query
  const fromEnd = 'from' in cursor && typeof cursor.from === 'string'
  const { where, params } = fromEnd ? walkWhere(query, now) : viewWhere(query, now)
  const sort = query.sort ?? DEFAULT_DEVICE_SORT
  const key = sortKeySql(sort.column)
  const backwards = 'before' in cursor || ('from' in cursor && cursor.from === 'end')
  const bound: Record<string, SQLInputValue> = { ...params, limit: query.limit }
  if ('after' in cursor || 'before' in cursor) {
    const after = 'after' in cursor
    where.push(`${key.columns} ${after !== sort.descending ? '>' : '<'} ${key.values}`)
    Object.assign(bound, key.bind(key.of(after ? cursor.after : cursor.before)))
  } else if (typeof cursor.from !== 'string') {
    where.push(`${key.columns} ${sort.descending ? '<=' : '>='} ${key.values}`)
    Object.assign(bound, key.bind(cursor.from))
  }
  const sql = `SELECT ${ROW_COLUMNS} FROM devices${sortIndexOf(query)} WHERE ${where.join(' AND ')}
    ORDER BY ${key.orderBy(sort.descending !== backwards)} LIMIT :limit`
  return { sql, params: bound, backwards }
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
