import { describe, expect, it } from 'vitest'
import {
  formatCsv,
  guardFormula,
  csvRecords,
  unguardFormula,
} from '../../../main/tenants/csv-format'
import { CsvImportError } from '../../../main/tenants/errors'

const parse = (text: string) => [...csvRecords(text)]

describe('csvRecords', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, numbering file lines', () => {
    const text = 'Serial,Model\nA1,"Pro, 14"""\nB2,"two\nlines"\nC3,plain\n'
    expect(parse(text)).toEqual([
      { line: 1, cells: ['Serial', 'Model'] },
      { line: 2, cells: ['A1', 'Pro, 14"'] },
      { line: 3, cells: ['B2', 'two\nlines'] },
      { line: 5, cells: ['C3', 'plain'] },
    ])
  })

  it('drops a BOM, accepts CRLF and counts CRLF inside quotes as one line', () => {
    const text = '\uFEFFSerial,Model\r\nA1,"x\r\ny"\r\nB2,z'
    expect(parse(text)).toEqual([
      { line: 1, cells: ['Serial', 'Model'] },
      { line: 2, cells: ['A1', 'x\r\ny'] },
      { line: 4, cells: ['B2', 'z'] },
    ])
  })

  it('skips blank lines and rows of empty cells but keeps counting their lines', () => {
    const records = parse('Serial,Model\n\n , \n,,\nA1,m\n')
    expect(records.map((record) => record.line)).toEqual([1, 5])
  })

  it('keeps empty and missing trailing cells as they are', () => {
    expect(parse('a,b,c\n1,,\n2\n').map((record) => record.cells)).toEqual([
      ['a', 'b', 'c'],
      ['1', '', ''],
      ['2'],
    ])
  })

  it('flags text after a closing quote on that record only', () => {
    const [, bad, good] = parse('a,b\n"x"y,2\nz,3\n')
    expect(bad).toMatchObject({
      line: 2,
      problem: 'unexpected text after a closing quote in column 1',
    })
    expect(good).toEqual({ line: 3, cells: ['z', '3'] })
  })

  it('refuses a file whose quote never closes, naming the line it opened on', () => {
    expect(() => parse('a,b\n1,2\n3,"open\n4,5\n')).toThrow(CsvImportError)
    expect(() => parse('a,b\n1,2\n3,"open\n4,5\n')).toThrow(/starts on line 3/)
  })
})

describe('formatCsv', () => {
  it('quotes only cells that need it and ends every line with CRLF', () => {
    expect(
      formatCsv([
        ['Serial', 'Model'],
        ['A1', 'Pro, "14"'],
        ['B2', 'two\nlines'],
      ]),
    ).toBe('Serial,Model\r\nA1,"Pro, ""14"""\r\nB2,"two\nlines"\r\n')
  })

  it('puts an apostrophe before cells a spreadsheet would run as a formula', () => {
    const text = formatCsv([['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', 'plain', "'quoted"]])
    expect(text).toBe(`"'=HYPERLINK(""http://x"")",'+1,'-2,'@SUM(A1),plain,'quoted\r\n`)
  })

  it('reads back through parseCsv and unguardFormula to the original values', () => {
    const values = ['=1+1', "'=already", "''@twice", 'a,b', 'line\r\nbreak', '"q"', '-', "'", '']
    const [record] = parse(formatCsv([['x', ...values]]))
    expect(record?.cells.slice(1).map(unguardFormula)).toEqual(values)
  })

  it('guards apostrophe-led formula text with one more apostrophe', () => {
    expect(guardFormula("'=x")).toBe("''=x")
    expect(unguardFormula("''=x")).toBe("'=x")
    expect(unguardFormula("'plain")).toBe("'plain")
  })
})
