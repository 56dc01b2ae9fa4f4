// CSV → tenant database. Policy: bad rows are skipped and reported by line while the good rows
// import, all in ONE transaction, so a crash or a failing write half-way changes nothing. A file
// with no good row changes nothing at all (not even the sync log). Rows are upserts keyed by serial
// and by coverage key, so importing the same file twice leaves the same data.
import type { DatabaseSync } from 'node:sqlite'
import { MAX_REPORTED_CSV_ERRORS, type CsvImportReport } from '../../preload/model'
import { refreshBestCoverage } from './best-coverage'
import { mapColumns, type ColumnMap, type DeviceField } from './csv-columns'
import { csvRecords, type CsvRecord } from './csv-format'
import { readRow, type CoverageValues, type DeviceValues, type ImportRow } from './csv-rows'
import { CsvImportError } from './errors'
import { markContentChanged } from './snapshot'
import type { Steps } from './steps'
import { transactionSteps } from './transaction'

/** Rows written between two pauses of a cooperative import: tens of milliseconds of work. */
const ROWS_PER_STEP = 2_000

/**
 * The import as steps (see ./steps): it pauses every ROWS_PER_STEP rows, always inside its one
 * transaction, so running it cooperatively changes when the rows are written, never what lands.
 */
export function* importSteps(db: DatabaseSync, text: string, seenAt: Date): Steps<CsvImportReport> {
  const records = csvRecords(text)
  const columns = readHeader(records)
  const startedAt = new Date().toISOString()
  // Rows stream from the text straight into the transaction. Only good rows write, so a file
  // without one leaves the database as it was; a broken quote further down throws and rolls back.
  return yield* transactionSteps(db, importRows(db, records, columns, { seenAt, startedAt }))
}

function readHeader(records: Iterator<CsvRecord>): ColumnMap {
  const header = records.next().value
  if (!header) throw new CsvImportError('The file is empty. Nothing was imported.')
  if (header.problem) {
    throw new CsvImportError(
      `The header line is not valid CSV (${header.problem}). Nothing was imported.`,
    )
  }
  return mapColumns(header.cells)
}

function* importRows(
  db: DatabaseSync,
  records: Iterable<CsvRecord>,
  columns: ColumnMap,
  { seenAt, startedAt }: { seenAt: Date; startedAt: string },
): Steps<CsvImportReport> {
  const report: CsvImportReport = { rows: 0, devices: 0, coverage: 0, skipped: 0, errors: [] }
  const writer = new ImportWriter(db, columns, seenAt)
  for (const record of records) {
    report.rows++
    const result = readRow(record, columns)
    if (result.ok) writer.write(result.row)
    else if (report.skipped++ < MAX_REPORTED_CSV_ERRORS) report.errors.push(result.error)
    if (report.rows % ROWS_PER_STEP === 0) yield
  }
  if (writer.serials.size === 0) return report
  yield* refreshBestCoverage(db, writer.serials, ROWS_PER_STEP)
  markContentChanged(db)
  report.devices = writer.serials.size
  report.coverage = writer.coverageWrites
  const message = `${report.devices} devices, ${report.coverage} coverage records, ${report.skipped} rows skipped`
  db.prepare(
    `INSERT INTO sync_runs (started_at, finished_at, source, rows, message) VALUES (?, ?, 'csv', ?, ?)`,
  ).run(startedAt, new Date().toISOString(), report.rows - report.skipped, message)
  return report
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
  readonly serials = new Set<string>()
  coverageWrites = 0
  readonly #device
  readonly #coverage
  readonly #seenAt: string
  #previous: DeviceValues | undefined

  constructor(db: DatabaseSync, columns: ColumnMap, seenAt: Date) {
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
    this.serials.add(device.serial)
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
