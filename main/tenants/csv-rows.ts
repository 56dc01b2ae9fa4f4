// One CSV record → the device and coverage values it holds, or the reason it cannot be imported.
// Cells are trimmed and lose the apostrophe our export puts before formula-like text; an empty
// cell is "no value". A field whose column the file lacks stays undefined, so an import never
// wipes what another file (with that column) brought in.
import {
  type Column,
  type ColumnMap,
  type CoverageColumns,
  type DeviceField,
  type DeviceTextField,
} from './csv-columns'
import { unguardFormula, type CsvRecord } from './csv-format'
import { IDENTIFIER_FIELDS } from './identifiers'
import { normalizeIsoDate } from './dates'

export type DeviceValues = {
  serial: string
  inactive?: 0 | 1
  /** JSON of the identifier lists the file has columns for, e.g. {"imei":["…"],"eid":[]}. */
  identifiers?: string
} & { [field in DeviceTextField]?: string | null }

export interface CoverageValues {
  kind: string | null
  description: string | null
  agreementId: string | null
  status: string | null
  paymentType: string | null
  start: string | null
  end: string | null
  canceled: 0 | 1
}

export interface ImportRow {
  device: DeviceValues
  coverage: CoverageValues[]
}

export interface RowError {
  line: number
  message: string
}

export type RowResult = { ok: true; row: ImportRow } | { ok: false; error: RowError }

const DATE_FIELDS: ReadonlySet<DeviceField> = new Set([
  'addedToOrg',
  'releasedFromOrg',
  'firstSeen',
  'lastSeen',
  'orderDate',
])

const IDENTIFIERS: ReadonlySet<DeviceField> = new Set(IDENTIFIER_FIELDS)

// The values of an identifier cell: our export writes them with spaces between; a spreadsheet may
// have commas or semicolons.
const LIST_SEPARATOR = /[\s,;]+/

const BOOLEANS: ReadonlyMap<string, 0 | 1> = new Map([
  ['true', 1],
  ['yes', 1],
  ['y', 1],
  ['1', 1],
  ['false', 0],
  ['no', 0],
  ['n', 0],
  ['0', 0],
])

// C0 controls (NUL included), DEL and the C1 controls: never part of a serial number, and a sign of
// a binary file or a broken export; such a serial would be a device nobody can find or type.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/

/** Why a row is skipped; thrown by the cell readers and turned into a RowError for its line. */
class RowProblem extends Error {}

/**
 * The reader of one file's rows, built once from its header: the columns each field comes from are
 * looked up here, not again on every row of a file that may hold millions.
 */
export function rowReader(columns: ColumnMap): (record: CsvRecord) => RowResult {
  const readDevice = deviceReader(columns)
  const slots = columns.coverage.map((slot) => ({
    read: coverageReader(slot),
    columns: Object.values(slot.columns),
  }))
  return (record) => {
    if (record.problem) {
      return {
        ok: false,
        error: { line: record.line, message: `not valid CSV: ${record.problem}` },
      }
    }
    try {
      const cells = new RowCells(record.cells)
      const coverage: CoverageValues[] = []
      for (const slot of slots) {
        if (slot.columns.some((column) => cells.text(column) !== null)) {
          coverage.push(slot.read(cells))
        }
      }
      return { ok: true, row: { device: readDevice(cells), coverage } }
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error
      return { ok: false, error: { line: record.line, message: error.message } }
    }
  }
}

function deviceReader(columns: ColumnMap): (cells: RowCells) => DeviceValues {
  const { serial: serialColumn, inactive, ...others } = columns.device
  // In the order the sync writes them, whatever the file's order of columns.
  const identifiers = IDENTIFIER_FIELDS.flatMap((field) => {
    const column = others[field]
    return column ? [[field, column] as const] : []
  })
  const fields = (Object.entries(others) as [DeviceTextField, Column][])
    .filter(([field]) => !IDENTIFIERS.has(field))
    .map(([field, column]) => ({ field, column, date: DATE_FIELDS.has(field) }))
  return (cells) => {
    const device: DeviceValues = { serial: readSerial(cells, serialColumn) }
    if (inactive) device.inactive = cells.boolean(inactive) ?? 0
    for (const { field, column, date } of fields) {
      device[field] = date ? cells.date(column) : cells.text(column)
    }
    if (identifiers.length > 0) {
      const lists = identifiers.map(([field, column]) => [field, cells.list(column)])
      device.identifiers = JSON.stringify(Object.fromEntries(lists))
    }
    return device
  }
}

function readSerial(cells: RowCells, column: Column): string {
  const serial = cells.text(column)
  if (serial === null) throw new RowProblem('missing serial number')
  const control = CONTROL_CHARACTER.exec(serial)
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
    throw new RowProblem(
      `the serial number holds the control character U+${code}${code === '0000' ? ' (a NUL byte)' : ''}; serial numbers are letters and digits`,
    )
  }
  return serial
}

function coverageReader({ fixed, columns }: CoverageColumns): (cells: RowCells) => CoverageValues {
  return (cells) => {
    const coverage: CoverageValues = {
      kind: fixed?.kind ?? cells.text(columns.kind),
      description: fixed?.description ?? cells.text(columns.description),
      agreementId: cells.text(columns.agreementId),
      status: cells.text(columns.status),
      paymentType: cells.text(columns.paymentType),
      start: cells.date(columns.start),
      end: cells.date(columns.end),
      canceled: cells.boolean(columns.canceled) ?? 0,
    }
    const { start, end } = coverage
    // Stored dates sort in time order as text (see ./dates).
    if (start !== null && end !== null && end < start && Date.parse(end) < Date.parse(start)) {
      throw new RowProblem(
        `end before start: "${columns.end?.header}" ${end} is earlier than "${columns.start?.header}" ${start}`,
      )
    }
    return coverage
  }
}

class RowCells {
  readonly #cells: readonly string[]

  constructor(cells: readonly string[]) {
    this.#cells = cells
  }

  text(column: Column | undefined): string | null {
    if (!column) return null
    const cell = this.#cells[column.index]
    if (cell === undefined || cell === '') return null
    const value = unguardFormula(cell.trim())
    return value === '' ? null : value
  }

  list(column: Column): string[] {
    return this.text(column)?.split(LIST_SEPARATOR).filter(Boolean) ?? []
  }

  date(column: Column | undefined): string | null {
    const value = this.text(column)
    if (value === null || column === undefined) return null
    const date = normalizeIsoDate(value)
    if (date === undefined) {
      throw new RowProblem(
        `bad date "${value}" in column "${column.header}" (use YYYY-MM-DD or an ISO-8601 date and time)`,
      )
    }
    return date
  }

  boolean(column: Column | undefined): 0 | 1 | null {
    const value = this.text(column)
    if (value === null || column === undefined) return null
    const flag = BOOLEANS.get(value.toLowerCase())
    if (flag === undefined) {
      throw new RowProblem(
        `bad yes/no value "${value}" in column "${column.header}" (use true or false)`,
      )
    }
    return flag
  }
}
