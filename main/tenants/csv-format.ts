// CSV text in and out (RFC 4180). A small parser of our own rather than a library, so every record
// carries the exact 1-based file line it starts on (quoted fields may span lines), which is what an
// admin needs to find a bad row in a spreadsheet.
import { CsvImportError } from './errors'

export interface CsvRecord {
  /** The file line the record starts on; the header is line 1 (a BOM does not count). */
  line: number
  cells: string[]
  /** Set when the record breaks the CSV rules in a way that makes its cells untrustworthy. */
  problem?: string
}

const QUOTE = 0x22
const COMMA = 0x2c
const CR = 0x0d
const LF = 0x0a
const BOM = 0xfeff

/**
 * Reads CSV text record by record, so a large file is never held as records all at once. Accepts
 * a BOM, CRLF or LF line ends, quoted fields with embedded commas, quotes and line breaks. Blank
 * lines (and rows of only empty cells, which spreadsheets leave behind) are skipped. A quote that
 * is never closed refuses the whole file: everything after it would otherwise be one field.
 */
export function* csvRecords(text: string): Generator<CsvRecord, void, undefined> {
  const reader = new CsvReader(text.charCodeAt(0) === BOM ? text.slice(1) : text)
  while (!reader.atEnd()) {
    const record = reader.readRecord()
    if (record.cells.some((cell) => cell.trim() !== '')) yield record
  }
}

class CsvReader {
  #pos = 0
  #line = 1
  readonly #src: string
  // Finds where an unquoted field ends, at native speed (files run to millions of cells).
  readonly #plainEnd = /[,\r\n]/g

  constructor(src: string) {
    this.#src = src
  }

  atEnd(): boolean {
    return this.#pos >= this.#src.length
  }

  readRecord(): CsvRecord {
    const record: CsvRecord = { line: this.#line, cells: [] }
    for (;;) {
      const quoted = this.#src.charCodeAt(this.#pos) === QUOTE
      record.cells.push(quoted ? this.#readQuoted() : this.#readPlain())
      if (quoted && !this.#atFieldEnd()) {
        record.problem ??= `unexpected text after a closing quote in column ${record.cells.length}`
        this.#readPlain()
      }
      if (this.atEnd()) return record
      if (this.#src.charCodeAt(this.#pos) === COMMA) {
        this.#pos++
        continue
      }
      this.#skipLineBreak()
      return record
    }
  }

  #atFieldEnd(): boolean {
    if (this.atEnd()) return true
    const c = this.#src.charCodeAt(this.#pos)
    return c === COMMA || c === CR || c === LF
  }

  #readPlain(): string {
    this.#plainEnd.lastIndex = this.#pos
    const end = this.#plainEnd.exec(this.#src)?.index ?? this.#src.length
    const value = this.#src.slice(this.#pos, end)
    this.#pos = end
    return value
  }

  #readQuoted(): string {
    const openLine = this.#line
    let value = ''
    let from = this.#pos + 1
    for (;;) {
      const close = this.#src.indexOf('"', from)
      if (close === -1) {
        throw new CsvImportError(
          `The quoted value that starts on line ${openLine} is never closed, so the file looks cut off or damaged. Nothing was imported.`,
        )
      }
      value += this.#src.slice(from, close)
      if (this.#src.charCodeAt(close + 1) !== QUOTE) {
        this.#pos = close + 1
        break
      }
      value += '"'
      from = close + 2
    }
    this.#line += countLineBreaks(value)
    return value
  }

  #skipLineBreak(): void {
    const crlf =
      this.#src.charCodeAt(this.#pos) === CR && this.#src.charCodeAt(this.#pos + 1) === LF
    this.#pos += crlf ? 2 : 1
    this.#line++
  }
}

function countLineBreaks(value: string): number {
  return value.match(/\r\n|\r|\n/g)?.length ?? 0
}

// Spreadsheets run a cell that starts with one of these as a formula. An exported cell gets a
// leading apostrophe; a cell that already starts with apostrophes before one of these gets one
// more, so that removing exactly one on import gives back the original value.
const FORMULA_GUARDED = /^'*[=+\-@\t\r]/
const FORMULA_UNGUARD = /^'+[=+\-@\t\r]/

export function guardFormula(value: string): string {
  return FORMULA_GUARDED.test(value) ? `'${value}` : value
}

export function unguardFormula(value: string): string {
  return FORMULA_UNGUARD.test(value) ? value.slice(1) : value
}

function formatCell(value: string): string {
  const guarded = guardFormula(value)
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded
}

/** CSV text with CRLF line ends, quoting only where needed, every cell guarded against formulas. */
export function formatCsv(rows: Iterable<readonly string[]>): string {
  let text = ''
  for (const row of rows) text += formatCsvRecord(row)
  return text
}

/** One record of formatCsv, line end included, for callers that build the text in steps. */
export function formatCsvRecord(cells: readonly string[]): string {
  return `${cells.map(formatCell).join(',')}\r\n`
}
