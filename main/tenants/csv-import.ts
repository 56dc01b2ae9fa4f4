// CSV → tenant database. Policy: bad rows are skipped and reported by line while the good rows
// import, all in ONE transaction, so a crash or a failing write half-way changes nothing. A file
// with no good row changes nothing at all (not even the sync log). Rows are upserts keyed by serial
// and by coverage key, so importing the same file twice leaves the same data. A file streams in
// piece by piece (see ./csv-file-import): memory holds one piece of it whatever its size.
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { MAX_REPORTED_CSV_ERRORS, type CsvImportReport } from '../../preload/model'
import { refreshBestCoverage } from './best-coverage'
import { mapColumns, type ColumnMap, type DeviceField } from './csv-columns'
import { CsvRecordStream, type CsvRecord } from './csv-format'
import { readRow, type CoverageValues, type DeviceValues, type ImportRow } from './csv-rows'
import { CsvImportError } from './errors'

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
  #writer: ImportWriter | undefined

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
    const batch = new Set<string>()
    for (const record of this.#records.push(text, final)) {
      if (!this.#writer) {
        this.#writer = new ImportWriter(this.#db, readHeader(record), this.#seenAt)
        continue
      }
      const report = this.#report
      report.rows++
      const result = readRow(record, this.#writer.columns)
      if (result.ok) {
        this.#writer.write(result.row)
        batch.add(result.row.device.serial)
      } else if (report.skipped++ < MAX_REPORTED_CSV_ERRORS) report.errors.push(result.error)
    }
    if (batch.size === 0) return
    refreshBestCoverage(this.#db, batch)
    this.#devices.add(batch)
  }

  /** Ends the import (after the last push): the report, and the sync log entry if rows landed. */
  finish(): CsvImportReport {
    if (!this.#writer) throw new CsvImportError('The file is empty. Nothing was imported.')
    const report = this.#report
    report.devices = this.#devices.count
    report.coverage = this.#writer.coverageWrites
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
    this.#insert = db.prepare('INSERT OR IGNORE INTO temp.import_serials (serial) VALUES (?)')
  }

  add(serials: Iterable<string>): void {
    for (const serial of serials) this.count += Number(this.#insert.run(serial).changes)
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

const DEVICE_COLUMNS: Record<Exclude<DeviceField, 'serial' | 'inactive'>, string> = {
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
}
type TextField = keyof typeof DEVICE_COLUMNS
const TEXT_FIELDS = Object.keys(DEVICE_COLUMNS) as TextField[]

// first_seen keeps the earliest sighting unless the file states one; last_seen is the file's
// value or else the import time.
const SIGHTINGS: Partial<Record<TextField, { insert: string; update: string }>> = {
  firstSeen: {
    insert: 'coalesce(:firstSeen, :seenAt)',
    update: 'first_seen = coalesce(:firstSeen, first_seen)',
  },
  lastSeen: { insert: 'coalesce(:lastSeen, :seenAt)', update: 'last_seen = excluded.last_seen' },
}

/** The device upsert for this file: only columns the file has overwrite stored values. */
function deviceUpsertSql(columns: ColumnMap): string {
  const names = TEXT_FIELDS.map((field) => DEVICE_COLUMNS[field])
  const values = TEXT_FIELDS.map((field) => SIGHTINGS[field]?.insert ?? `:${field}`)
  const updates = [
    ...TEXT_FIELDS.filter((field) => columns.device[field] && !SIGHTINGS[field]).map(
      (field) => `${DEVICE_COLUMNS[field]} = excluded.${DEVICE_COLUMNS[field]}`,
    ),
    ...Object.values(SIGHTINGS).map((sighting) => sighting.update),
    'inactive = coalesce(:inactive, inactive)',
  ]
  return `INSERT INTO devices (serial, ${names.join(', ')}, inactive)
VALUES (:serial, ${values.join(', ')}, coalesce(:inactive, 0))
ON CONFLICT (serial) DO UPDATE SET ${updates.join(', ')}`
}

const COVERAGE_FIELDS = [
  'kind',
  'description',
  'agreementId',
  'status',
  'paymentType',
  'start',
  'end',
  'canceled',
] as const satisfies readonly (keyof CoverageValues)[]

const COVERAGE_UPSERT = `
INSERT INTO coverage (serial, coverage_key, kind, description, agreement_id, status, payment_type,
  start_date, end_date, is_canceled)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (serial, coverage_key) DO UPDATE SET
  kind = excluded.kind, description = excluded.description, agreement_id = excluded.agreement_id,
  status = excluded.status, payment_type = excluded.payment_type, start_date = excluded.start_date,
  end_date = excluded.end_date, is_canceled = excluded.is_canceled`

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
    TEXT_FIELDS.every((field) => a[field] === b[field])
  )
}

class ImportWriter {
  coverageWrites = 0
  readonly #device
  readonly #coverage
  readonly #seenAt: string
  #previous: DeviceValues | undefined

  constructor(
    db: DatabaseSync,
    readonly columns: ColumnMap,
    seenAt: Date,
  ) {
    this.#device = db.prepare(deviceUpsertSql(columns))
    this.#coverage = db.prepare(COVERAGE_UPSERT)
    this.#seenAt = seenAt.toISOString()
  }

  write({ device, coverage }: ImportRow): void {
    // Our own format repeats the device on each of its coverage rows: write it once.
    if (!this.#previous || !sameDevice(device, this.#previous)) {
      this.#device.run(this.#deviceParams(device))
      this.#previous = device
    }
    for (const record of coverage) {
      const values = COVERAGE_FIELDS.map((field) => record[field])
      this.#coverage.run(device.serial, coverageKey(record), ...values)
      this.coverageWrites++
    }
  }

  #deviceParams(device: DeviceValues): Record<string, string | number | null> {
    const params: Record<string, string | number | null> = {
      serial: device.serial,
      inactive: device.inactive ?? null,
      seenAt: this.#seenAt,
    }
    for (const field of TEXT_FIELDS) params[field] = device[field] ?? null
    return params
  }
}
