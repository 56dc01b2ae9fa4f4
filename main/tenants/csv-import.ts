// CSV → tenant database. Policy: bad rows are skipped and reported by line while the good rows
// import, all in ONE transaction, so a crash or a failing write half-way changes nothing. A file
// with no good row changes nothing at all (not even the sync log). Rows are upserts keyed by serial
// and by coverage key, so importing the same file twice leaves the same data. A file streams in
// piece by piece (see ./csv-file-import): memory holds one piece of it whatever its size.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import { MAX_REPORTED_CSV_ERRORS, type CsvImportReport } from '../../preload/model'
import { REFRESH_BEST_COVERAGE_OF_LIST } from './best-coverage'
import { mapColumns, type ColumnMap, type DeviceTextField } from './csv-columns'
import { CsvRecordStream, type CsvRecord } from './csv-format'
import {
  rowReader,
  type CoverageValues,
  type DeviceValues,
  type ImportRow,
  type RowResult,
} from './csv-rows'
import { CsvImportError } from './errors'
import { IDENTIFIER_FIELDS } from './identifiers'

/**
 * One import, fed its text in pieces. Call it inside the transaction that makes the import
 * all-or-nothing: each push writes the rows its text completes and brings their devices' coverage
 * state up to date, so the work per push is bounded by the piece, not by the file.
 */
export class CsvImporter {
  readonly #db: DatabaseSync
  readonly #seenAt: Date
  readonly #startedAt = new Date().toISOString()
  readonly #records = new CsvRecordStream()
  readonly #report: CsvImportReport = { rows: 0, devices: 0, coverage: 0, skipped: 0, errors: [] }
  readonly #devices: DistinctSerials
  /** Set once the header is read: how this file's rows are read and written. */
  #file: { readRow: (record: CsvRecord) => RowResult; writer: ImportWriter } | undefined

  constructor(db: DatabaseSync, seenAt: Date) {
    this.#db = db
    this.#seenAt = seenAt
    this.#devices = new DistinctSerials(db)
  }

  /** Data rows read so far (header not counted). */
  get rows(): number {
    return this.#report.rows
  }

  /** The file line the text pushed so far ends on, followed by `text` (for messages). */
  lineAfter(text: string): number {
    return this.#records.lineAfter(text)
  }

  push(text: string, final = false): void {
    for (const record of this.#records.push(text, final)) {
      if (!this.#file) {
        const columns = readHeader(record)
        this.#file = {
          readRow: rowReader(columns),
          writer: new ImportWriter(this.#db, columns, this.#seenAt, this.#devices),
        }
        continue
      }
      const report = this.#report
      report.rows++
      const result = this.#file.readRow(record)
      if (result.ok) this.#file.writer.write(result.row)
      else if (report.skipped++ < MAX_REPORTED_CSV_ERRORS) report.errors.push(result.error)
    }
    this.#file?.writer.flush()
  }

  /** Ends the import (after the last push): the report, and the sync log entry if rows landed. */
  finish(): CsvImportReport {
    if (!this.#file) throw new CsvImportError('The file is empty. Nothing was imported.')
    const report = this.#report
    report.devices = this.#devices.count
    report.coverage = this.#file.writer.coverageWrites
    if (report.devices > 0) {
      const message = `${report.devices} devices, ${report.coverage} coverage records, ${report.skipped} rows skipped`
      this.#db
        .prepare(
          `INSERT INTO sync_runs (started_at, finished_at, source, rows, message) VALUES (?, ?, 'csv', ?, ?)`,
        )
        .run(this.#startedAt, new Date().toISOString(), report.rows - report.skipped, message)
    }
    return report
  }
}

/**
 * Counts the distinct devices of an import in a temporary table (on disk, not in memory), so a
 * device listed again further down the file counts once and memory stays flat.
 */
class DistinctSerials {
  count = 0
  readonly #insert: StatementSync

  constructor(db: DatabaseSync) {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS import_serials (serial TEXT PRIMARY KEY) WITHOUT ROWID;
      DELETE FROM temp.import_serials`)
    this.#insert = db.prepare(
      'INSERT OR IGNORE INTO temp.import_serials (serial) SELECT value FROM json_each(?)',
    )
  }

  add(serials: ReadonlySet<string>): void {
    if (serials.size === 0) return
    this.count += Number(this.#insert.run(JSON.stringify([...serials])).changes)
  }
}

function readHeader(header: CsvRecord): ColumnMap {
  if (header.problem) {
    throw new CsvImportError(
      `The header line is not valid CSV (${header.problem}). Nothing was imported.`,
    )
  }
  return mapColumns(header.cells)
}

const DEVICE_COLUMNS: Record<DeviceTextField, string> = {
  make: 'make',
  model: 'model',
  family: 'family',
  productType: 'product_type',
  status: 'status',
  orderNumber: 'order_number',
  partNumber: 'part_number',
  addedToOrg: 'added_to_org',
  releasedFromOrg: 'released_from_org',
  firstSeen: 'first_seen',
  lastSeen: 'last_seen',
  color: 'color',
  capacity: 'capacity',
  orderDate: 'order_date',
  purchaseSourceType: 'purchase_source_type',
  purchaseSourceId: 'purchase_source_id',
}
const TEXT_FIELDS = Object.keys(DEVICE_COLUMNS) as DeviceTextField[]
const SIGHTINGS: ReadonlySet<DeviceTextField> = new Set(['firstSeen', 'lastSeen'])
const DEVICE_INSERT_COLUMNS = [
  'serial',
  ...TEXT_FIELDS.map((field) => DEVICE_COLUMNS[field]),
  'inactive',
  'identifiers',
]

// How many rows wait before they are written. Few statements writing many rows each are what make
// an import fast: SQLite's per-statement work (the statement journal, and FTS5 writing its pending
// index out as a new segment at every statement) then happens once per batch, not once per row.
// A device statement stays under SQLite's 32,766 parameters.
const DEVICES_PER_WRITE = 1_600
const COVERAGE_PER_WRITE = 8_000
const COVERAGE_PER_STATEMENT = 2_000

/** An INSERT of `rows` rows of `width` values each. */
interface MultiRowSql {
  width: number
  sql: (rows: number) => string
}

/**
 * The device upsert for this file: only columns the file has overwrite stored values. first_seen
 * keeps the earliest sighting (the file's or, without one, the import time); last_seen is the
 * file's or else the import time; `inactive` changes only when the file has that column.
 */
function deviceUpsert(columns: ColumnMap): MultiRowSql {
  const names = DEVICE_INSERT_COLUMNS
  const hasIdentifiers = IDENTIFIER_FIELDS.some((field) => columns.device[field])
  const updates = [
    ...TEXT_FIELDS.filter((field) => columns.device[field] && !SIGHTINGS.has(field)).map(
      (field) => `${DEVICE_COLUMNS[field]} = excluded.${DEVICE_COLUMNS[field]}`,
    ),
    'first_seen = min(first_seen, excluded.first_seen)',
    'last_seen = excluded.last_seen',
    ...(columns.device.inactive ? ['inactive = excluded.inactive'] : []),
    // The lists the file has replace the stored ones; the others stay (a JSON merge patch).
    ...(hasIdentifiers
      ? [
          `identifiers = json_patch(CASE WHEN json_valid(identifiers) THEN identifiers ELSE '{}' END, excluded.identifiers)`,
        ]
      : []),
  ]
  return {
    width: names.length,
    sql: (rows) => `INSERT INTO devices (${names.join(', ')})
VALUES ${valueTuples(rows, names.length)}
ON CONFLICT (serial) DO UPDATE SET ${updates.join(', ')}`,
  }
}

const COVERAGE_COLUMNS = [
  'serial',
  'coverage_key',
  'kind',
  'description',
  'agreement_id',
  'status',
  'payment_type',
  'start_date',
  'end_date',
  'is_canceled',
]

const COVERAGE_UPSERT: MultiRowSql = {
  width: COVERAGE_COLUMNS.length,
  sql: (rows) => `INSERT INTO coverage (${COVERAGE_COLUMNS.join(', ')})
VALUES ${valueTuples(rows, COVERAGE_COLUMNS.length)}
ON CONFLICT (serial, coverage_key) DO UPDATE SET ${COVERAGE_COLUMNS.slice(2)
    .map((column) => `${column} = excluded.${column}`)
    .join(', ')}`,
}

function valueTuples(rows: number, width: number): string {
  return Array(rows)
    .fill(`(${Array(width).fill('?').join(', ')})`)
    .join(', ')
}

/** The agreement id where Apple gave one; otherwise kind, description and start tell records apart. */
function coverageKey(coverage: CoverageValues): string {
  return coverage.agreementId !== null
    ? JSON.stringify(['agreement', coverage.agreementId])
    : JSON.stringify([coverage.kind, coverage.description, coverage.start])
}

function sameDevice(a: DeviceValues, b: DeviceValues): boolean {
  return (
    a.serial === b.serial &&
    a.inactive === b.inactive &&
    a.identifiers === b.identifiers &&
    TEXT_FIELDS.every((field) => a[field] === b[field])
  )
}

/**
 * Rows waiting to be written by multi-row statements of `rowsPerStatement` rows; what is left over
 * is written in parts of a power of two rows (1,024, 512, … 1), so a handful of prepared statements
 * serves every length.
 */
class RowBatch {
  readonly #values: SQLInputValue[] = []
  readonly #statements = new Map<number, StatementSync>()
  rows = 0

  constructor(
    private readonly db: DatabaseSync,
    private readonly insert: MultiRowSql,
    private readonly rowsPerStatement: number,
  ) {}

  /** Adds one row: exactly as many values as the statement has columns. */
  add(...values: SQLInputValue[]): void {
    for (const value of values) this.#values.push(value)
    this.rows++
  }

  write(): void {
    let offset = 0
    while (this.rows > 0) {
      const rows =
        this.rows >= this.rowsPerStatement
          ? this.rowsPerStatement
          : 2 ** Math.floor(Math.log2(this.rows))
      const end = offset + rows * this.insert.width
      this.#statement(rows).run(...this.#values.slice(offset, end))
      offset = end
      this.rows -= rows
    }
    this.#values.length = 0
  }

  #statement(rows: number): StatementSync {
    let statement = this.#statements.get(rows)
    if (!statement) {
      statement = this.db.prepare(this.insert.sql(rows))
      this.#statements.set(rows, statement)
    }
    return statement
  }
}

/**
 * Writes the rows of one file in batches: the devices, then their coverage (which refers to them),
 * then the best-coverage columns of the devices whose coverage changed, and the count of distinct
 * devices. `flush` writes what still waits (at the end of each piece of the file).
 */
class ImportWriter {
  coverageWrites = 0
  readonly #devices: RowBatch
  readonly #coverage: RowBatch
  readonly #refresh: StatementSync
  readonly #distinct: DistinctSerials
  readonly #seenAt: string
  readonly #serials = new Set<string>()
  readonly #covered = new Set<string>()
  #previous: DeviceValues | undefined

  constructor(db: DatabaseSync, columns: ColumnMap, seenAt: Date, distinct: DistinctSerials) {
    this.#devices = new RowBatch(db, deviceUpsert(columns), DEVICES_PER_WRITE)
    this.#coverage = new RowBatch(db, COVERAGE_UPSERT, COVERAGE_PER_STATEMENT)
    this.#refresh = db.prepare(REFRESH_BEST_COVERAGE_OF_LIST)
    this.#distinct = distinct
    this.#seenAt = seenAt.toISOString()
  }

  write({ device, coverage }: ImportRow): void {
    // Our own format repeats the device on each of its coverage rows: write it once.
    if (!this.#previous || !sameDevice(device, this.#previous)) {
      this.#addDevice(device)
      this.#previous = device
    }
    for (const record of coverage) {
      this.#coverage.add(
        device.serial,
        coverageKey(record),
        record.kind,
        record.description,
        record.agreementId,
        record.status,
        record.paymentType,
        record.start,
        record.end,
        record.canceled,
      )
      this.#covered.add(device.serial)
      this.coverageWrites++
    }
    if (this.#devices.rows >= DEVICES_PER_WRITE || this.#coverage.rows >= COVERAGE_PER_WRITE) {
      this.flush()
    }
  }

  flush(): void {
    this.#devices.write()
    this.#coverage.write()
    if (this.#covered.size > 0) this.#refresh.run(JSON.stringify([...this.#covered]))
    this.#distinct.add(this.#serials)
    this.#covered.clear()
    this.#serials.clear()
  }

  #addDevice(device: DeviceValues): void {
    const seenAt = this.#seenAt
    this.#devices.add(
      device.serial,
      ...TEXT_FIELDS.map((field) => device[field] ?? (SIGHTINGS.has(field) ? seenAt : null)),
      device.inactive ?? 0,
      device.identifiers ?? null,
    )
    this.#serials.add(device.serial)
  }
}
