import { describe, expect, it } from 'vitest'
import { mapColumns, normalizeHeader } from '../../../main/tenants/csv-columns'
import { CsvImportError } from '../../../main/tenants/errors'

describe('mapColumns', () => {
  it('matches headers whatever their case, spaces, underscores or punctuation', () => {
    expect(normalizeHeader(' Product_Family ')).toBe('productfamily')
    const columns = mapColumns(['SERIAL NUMBER', 'product-family', 'ac+ end', 'Standard_Start'])
    expect(columns.device.serial).toEqual({ index: 0, header: 'SERIAL NUMBER' })
    expect(columns.device.family?.index).toBe(1)
    expect(columns.coverage).toEqual([
      {
        fixed: { kind: 'Limited Warranty', description: 'Limited Warranty' },
        columns: { start: { index: 3, header: 'Standard_Start' } },
      },
      {
        fixed: { kind: 'AppleCare+', description: 'AppleCare+' },
        columns: { end: { index: 2, header: 'ac+ end' } },
      },
    ])
  })

  it('ignores columns it does not know', () => {
    const columns = mapColumns(['Notes', 'Serial', 'Asset Tag'])
    expect(columns.device).toEqual({ serial: { index: 1, header: 'Serial' } })
    expect(columns.coverage).toEqual([])
  })

  it('refuses a file without a Serial column and lists the columns it found', () => {
    expect(() => mapColumns(['Model', 'Status'])).toThrow(CsvImportError)
    expect(() => mapColumns(['Model', 'Status'])).toThrow(/no Serial column.*"Model", "Status"/)
  })

  it('refuses two columns for one field rather than guess', () => {
    expect(() => mapColumns(['Serial', 'Serial Number'])).toThrow(/"Serial" and "Serial Number"/)
  })
})
