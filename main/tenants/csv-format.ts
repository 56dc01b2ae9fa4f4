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
const APOSTROPHE = 0x27

/**
 * Reads CSV text record by record, so a large file is never held as records all at once. Accepts
 * a BOM, CRLF or LF line ends, quoted fields with embedded commas, quotes and line breaks. Blank
 * lines (and rows of only empty cells, which spreadsheets leave behind) are skipped. A quote that
 * is never closed refuses the whole file: everything after it would otherwise be one field.
 */
export function* csvRecords(text: string): Generator<CsvRecord, void, undefined> {
  yield* new CsvRecordStream().push(text, true)
}

/** Longest record a file may hold; past it, the text is a quote never closed or not CSV at all. */
export const MAX_RECORD_CHARS = 1024 * 1024

/**
 * csvRecords over text that arrives in pieces (a file read as a stream): each push yields the
 * records its text completes and keeps the unfinished last one for the next push, so memory holds
 * one piece and one record whatever the file's size.
 */
export class CsvRecordStream {
  /** Text not yet read, from the start of an unfinished record. */
  #rest = ''
  /** The file line `#rest` starts on. */
  #line = 1
  #started = false

  /** The line that text pushed next, followed by `text`, would end on (for a message). */
  lineAfter(text: string): number {
    return this.#line + countLineBreaks(this.#rest) + countLineBreaks(text)
  }

  *push(text: string, final = false): Generator<CsvRecord, void, undefined> {
    let src = this.#rest + text
    if (!this.#started && src !== '') {
      this.#started = true
      if (src.charCodeAt(0) === BOM) src = src.slice(1)
    }
    const reader = new CsvReader(src, this.#line, final)
    this.#rest = ''
    while (!reader.atEnd()) {
      const { position, line } = reader
      const record = reader.readRecord()
      if (record === undefined) {
        this.#keep(src.slice(position), line)
        return
      }
      this.#line = reader.line
      if (record.cells.some((cell) => cell !== '' && cell.trim() !== '')) yield record
    }
    this.#line = reader.line
  }

  #keep(rest: string, line: number): void {
    if (rest.length > MAX_RECORD_CHARS) {
      throw new CsvImportError(
        `The record that starts on line ${line} runs past 1 MiB: a quoted value that is never closed, or not a CSV file. Nothing was imported.`,
      )
    }
    this.#rest = rest
    this.#line = line
  }
}

/** Thrown inside CsvReader when the text ends in the middle of a record that more text may finish. */
class Unfinished extends Error {}

class CsvReader {
  #pos = 0
  #line: number
  readonly #src: string
  /** No more text comes after #src: a record that reaches its end ends there. */
  readonly #final: boolean
  // Finds where an unquoted field ends, at native speed (files run to millions of cells).
  readonly #plainEnd = /[,\r\n]/g

  constructor(src: string, line: number, final: boolean) {
    this.#src = src
    this.#line = line
    this.#final = final
  }

  get position(): number {
    return this.#pos
  }

  get line(): number {
    return this.#line
  }

  atEnd(): boolean {
    return this.#pos >= this.#src.length
  }

  /** The next record, or undefined when the text ends before it does and more may follow. */
  readRecord(): CsvRecord | undefined {
    const start = { pos: this.#pos, line: this.#line }
    try {
      return this.#readRecord()
    } catch (error) {
      if (!(error instanceof Unfinished)) throw error
      this.#pos = start.pos
      this.#line = start.line
      return undefined
    }
  }

  #readRecord(): CsvRecord {
    const record: CsvRecord = { line: this.#line, cells: [] }
    for (;;) {
      const quoted = this.#src.charCodeAt(this.#pos) === QUOTE
      record.cells.push(quoted ? this.#readQuoted() : this.#readPlain())
      if (quoted && !this.#atFieldEnd()) {
        record.problem ??= `unexpected text after a closing quote in column ${record.cells.length}`
        this.#readPlain()
      }
      if (this.atEnd()) {
        if (!this.#final) throw new Unfinished()
        return record
      }
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
    const found = this.#plainEnd.exec(this.#src)
    if (!found && !this.#final) throw new Unfinished()
    const end = found?.index ?? this.#src.length
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
      // A quote last in the text may be the first of a doubled quote that the next text completes.
      if (!this.#final && (close === -1 || close === this.#src.length - 1)) throw new Unfinished()
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
    const cr = this.#src.charCodeAt(this.#pos) === CR
    // A CR last in the text may be the first half of a CRLF.
    if (cr && !this.#final && this.#pos === this.#src.length - 1) throw new Unfinished()
    const crlf = cr && this.#src.charCodeAt(this.#pos + 1) === LF
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
  return value.charCodeAt(0) === APOSTROPHE && FORMULA_UNGUARD.test(value) ? value.slice(1) : value
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
