// Tenant database → CSV in our own format: one row per coverage record, the device's columns
// repeated on each; a device without coverage gets one row with the coverage columns empty. Every
// stored field has a column, and the headers are ones the importer maps back, so export → import
// into an empty database gives the same data (the same snapshot hash).
import type { DatabaseSync } from 'node:sqlite'
import { formatCsvRecord } from './csv-format'
import { IDENTIFIER_FIELDS, identifierLists, type IdentifierField } from './identifiers'
import type { Steps } from './steps'

interface ExportColumn {
  header: string
  sql: string
}

const DEVICE_COLUMNS: readonly ExportColumn[] = [
  { header: 'Serial', sql: 'd.serial' },
  { header: 'Make', sql: 'd.make' },
  { header: 'Model', sql: 'd.model' },
  { header: 'Product Family', sql: 'd.family' },
  { header: 'Product Type', sql: 'd.product_type' },
  { header: 'Status', sql: 'd.status' },
  { header: 'Order Number', sql: 'd.order_number' },
  { header: 'Part Number', sql: 'd.part_number' },
  { header: 'Added To Org DateTime', sql: 'd.added_to_org' },
  { header: 'Released From Org DateTime', sql: 'd.released_from_org' },
  { header: 'First Seen', sql: 'd.first_seen' },
  { header: 'Last Seen', sql: 'd.last_seen' },
  { header: 'Inactive', sql: `CASE d.inactive WHEN 1 THEN 'true' ELSE 'false' END` },
  { header: 'Color', sql: 'd.color' },
  { header: 'Capacity', sql: 'd.capacity' },
  { header: 'Order DateTime', sql: 'd.order_date' },
  { header: 'Purchase Source Type', sql: 'd.purchase_source_type' },
  { header: 'Purchase Source ID', sql: 'd.purchase_source_id' },
]

// The identifier lists are read as their one JSON column and written as a column each, the values
// of a list separated by spaces.
const IDENTIFIER_HEADERS: Record<IdentifierField, string> = {
  imei: 'IMEI',
  meid: 'MEID',
  eid: 'EID',
  wifiMac: 'Wi-Fi MAC Address',
  bluetoothMac: 'Bluetooth MAC Address',
  ethernetMac: 'Ethernet MAC Address',
}

const COVERAGE_COLUMNS: readonly ExportColumn[] = [
  { header: 'Coverage Kind', sql: 'c.kind' },
  { header: 'Coverage Description', sql: 'c.description' },
  { header: 'Coverage Agreement ID', sql: 'c.agreement_id' },
  { header: 'Coverage Status', sql: 'c.status' },
  { header: 'Coverage Payment Type', sql: 'c.payment_type' },
  { header: 'Coverage Start', sql: 'c.start_date' },
  { header: 'Coverage End', sql: 'c.end_date' },
  {
    header: 'Coverage Canceled',
    sql: `CASE WHEN c.id IS NULL THEN NULL WHEN c.is_canceled = 1 THEN 'true' ELSE 'false' END`,
  },
]

const HEADERS = [
  ...DEVICE_COLUMNS.map((column) => column.header),
  ...IDENTIFIER_FIELDS.map((field) => IDENTIFIER_HEADERS[field]),
  ...COVERAGE_COLUMNS.map((column) => column.header),
]
const SELECTED = [
  ...DEVICE_COLUMNS.map((column) => column.sql),
  'd.identifiers',
  ...COVERAGE_COLUMNS.map((column) => column.sql),
]
/** Where the identifiers' JSON is in a selected row. */
const IDENTIFIERS_AT = DEVICE_COLUMNS.length
const NO_IDENTIFIER_CELLS: readonly string[] = IDENTIFIER_FIELDS.map(() => '')

function identifierCells(json: unknown): readonly string[] {
  if (typeof json !== 'string') return NO_IDENTIFIER_CELLS
  const lists = identifierLists(json)
  return IDENTIFIER_FIELDS.map((field) => lists[field].join(' '))
}

/**
 * The export's query; `view` (terms over the devices table) limits it to what a view shows, and
 * `order` (terms over devices d, serial last) sorts the devices; a device's coverage rows follow it.
 * The view's devices are a set of rowids that each device of the walk is checked against (`+`
 * keeps the planner off it): the walk of the order's index streams rows as they are written, where
 * a walk of the set would have every row of the file sorted in a temporary b-tree first.
 */
export function exportSql(view: ExportView | undefined): string {
  const where = view?.where.length
    ? `WHERE +d.rowid IN (SELECT rowid FROM devices WHERE ${view.where.join(' AND ')})`
    : ''
  return `SELECT ${SELECTED.join(', ')}
  FROM devices d LEFT JOIN coverage c ON c.serial = d.serial ${where}
  ORDER BY ${view?.order ?? 'd.serial'}, c.coverage_key`
}

/** What a view shows: its WHERE terms and their parameters (see device-queries' viewWhere). */
export interface ExportView {
  where: string[]
  params: Record<string, string>
  /** ORDER BY terms over devices d that end with its serial (device-queries' sortOrderSql). */
  order?: string
}

/** Data rows written (a row per coverage record) and the devices they hold. */
export interface ExportCount {
  rows: number
  devices: number
}

/** How far an export has got: rows and devices written, of the devices it will write. */
export interface ExportProgress extends ExportCount {
  totalDevices: number
}

/** Rows formatted between two pauses of a cooperative export: tens of milliseconds of work. */
const ROWS_PER_STEP = 5_000

/**
 * The export as steps (see ./steps): every ROWS_PER_STEP rows it hands their text to `write`,
 * reports its progress and pauses, so memory holds one step's rows whatever the tenant's size. It
 * reads through one statement, so give it a connection whose view of the data cannot change
 * between the pauses (see TenantDatabase's export) and the file is a snapshot of one moment; the
 * total it reports is counted in that same moment. Returns the data rows written (not counting the
 * header) and the devices among them.
 */
export function* exportSteps(
  db: DatabaseSync,
  write: (text: string) => void,
  view?: ExportView,
  onProgress?: (progress: ExportProgress) => void,
): Steps<ExportCount> {
  const params = view?.params ?? {}
  const totalDevices = onProgress ? countExported(db, view) : 0
  const statement = db.prepare(exportSql(view))
  statement.setReturnArrays(true)
  statement.setAllowUnknownNamedParameters(true)
  let text = formatCsvRecord(HEADERS)
  let rows = 0
  let devices = 0
  let serial: unknown
  let identifiers = NO_IDENTIFIER_CELLS
  onProgress?.({ rows, devices, totalDevices })
  for (const row of statement.iterate(params) as Iterable<unknown[]>) {
    // A device's coverage rows come together (its serial ends the order): its identifiers are read
    // once.
    if (row[0] !== serial) {
      devices++
      identifiers = identifierCells(row[IDENTIFIERS_AT])
    }
    serial = row[0]
    const cells = row.map((value) => (value === null ? '' : String(value)))
    cells.splice(IDENTIFIERS_AT, 1, ...identifiers)
    text += formatCsvRecord(cells)
    if (++rows % ROWS_PER_STEP === 0) {
      write(text)
      text = ''
      onProgress?.({ rows, devices, totalDevices })
      yield
    }
  }
  write(text)
  onProgress?.({ rows, devices, totalDevices })
  return { rows, devices }
}

function countExported(db: DatabaseSync, view: ExportView | undefined): number {
  const statement = db.prepare(
    `SELECT count(*) AS devices FROM devices${view?.where.length ? ` WHERE ${view.where.join(' AND ')}` : ''}`,
  )
  statement.setAllowUnknownNamedParameters(true)
  return Number(statement.get(view?.params ?? {})?.devices ?? 0)
}
