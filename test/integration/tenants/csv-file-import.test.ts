// The file import as the app and the CLI run it: streamed from disk in pieces, decoded, parsed and
// written in one transaction. Files are real files in a temporary folder.
import { createWriteStream, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'
import { constants } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { CsvImportCanceledError, CsvImportError } from '../../../main/tenants/errors'
import { generateDevicesCsv } from '../../support/device-csv'
import { rejectionOf } from '../../support/rejection'
import { NOW, readCsvFixture, useTenantDataDir } from './support/tenant-fixture'

describe('CSV file import', () => {
  const tenants = useTenantDataDir()

  function file(name: string, content: string | Uint8Array): string {
    const path = join(tenants.dataDir(), name)
    writeFileSync(path, content)
    return path
  }

  const importFile = (path: string) => tenants.open().importCsvFile(path, { seenAt: NOW })

  it('imports a file larger than the longest string JavaScript can hold, in pieces', async () => {
    // 560 MiB: rows of 64 KiB, most of it an unknown column the import skips. Written at test time
    // in pieces, never held whole; reading it into one string would fail (ERR_STRING_TOO_LONG).
    const ROWS = 8_960
    const filler = 'x'.repeat(64 * 1024 - 40)
    const path = join(tenants.dataDir(), 'huge.csv')
    const out = createWriteStream(path)
    out.write('Serial,Model,Notes\r\n')
    for (let i = 0; i < ROWS; i++) {
      if (!out.write(`HUGE${String(i).padStart(8, '0')},Mac mini,${filler}\r\n`)) {
        await once(out, 'drain')
      }
    }
    out.end()
    await once(out, 'finish')
    expect(out.bytesWritten).toBeGreaterThan(constants.MAX_STRING_LENGTH)

    let pieces = 0
    const db = tenants.open()
    const report = await db.importCsvFile(path, { seenAt: NOW, onProgress: () => pieces++ })
    expect(report).toMatchObject({ rows: ROWS, devices: ROWS, skipped: 0 })
    expect(pieces).toBeGreaterThan(500)
    expect(db.counts(NOW).devices).toBe(ROWS)
    expect(
      db.query({ filter: 'all', search: '', cursor: { from: 'end' }, limit: 1 }, NOW)[0],
    ).toMatchObject({ serial: `HUGE${String(ROWS - 1).padStart(8, '0')}`, model: 'Mac mini' })
  })

  it('reads the same rows from pieces of any size as from the whole text', async () => {
    // Quoted fields with line breaks and doubled quotes straddle the 1 MiB piece boundaries here.
    const csv = generateDevicesCsv(4_000, 3).replaceAll(
      ',ASSIGNED,',
      ',"ASSIGNED, ""really""\r\nyes",',
    )
    const streamed = await importFile(file('pieces.csv', csv))
    const whole = tenants.open('tenant-b').importCsv(csv, NOW)
    expect(streamed).toEqual(whole)
    expect(tenants.open().snapshot()).toEqual(tenants.open('tenant-b').snapshot())
  })

  it.each([
    ['UTF-16 little-endian', 'utf16le', [0xff, 0xfe]],
    ['UTF-16 big-endian', 'utf16be', [0xfe, 0xff]],
    ['UTF-8 with a BOM', 'utf8', [0xef, 0xbb, 0xbf]],
  ] as const)('decodes a file in %s', async (_, encoding, bom) => {
    const csv = 'Serial,Model,AC+ End\r\nC02ÜMLAUT1,Mac “Pro”,2027-01-31\r\nA2,"iPad, 𝒳",\r\n'
    const units = Buffer.from(csv, encoding === 'utf16be' ? 'utf16le' : encoding)
    if (encoding === 'utf16be') units.swap16()
    const report = await importFile(file('encoded.csv', Buffer.concat([Buffer.from(bom), units])))
    expect(report).toEqual(tenants.open('tenant-b').importCsv(csv, NOW))
    const [row] = tenants
      .open()
      .query({ filter: 'all', search: 'ümlaut', cursor: { from: 'start' }, limit: 1 }, NOW)
    expect(row).toMatchObject({ serial: 'C02ÜMLAUT1', model: 'Mac “Pro”' })
  })

  it('refuses invalid UTF-8 with the line it is on, and changes nothing', async () => {
    const good = Buffer.from('Serial,Model\r\nA1,iPhone\r\nB2,"two\r\nlines"\r\n')
    const bad = Buffer.concat([
      good,
      Buffer.from('C3,Mac'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\r\n'),
    ])
    const error = await rejectionOf(importFile(file('latin.csv', bad)), CsvImportError)
    expect(error.message).toMatch(/^Line 5 is not valid UTF-8 text\./)
    expect(tenants.open().counts(NOW).devices).toBe(0)
  })

  it('refuses a file cut off in the middle of a UTF-8 character', async () => {
    const cut = Buffer.concat([Buffer.from('Serial\r\nA1\r\nÜ'), Buffer.from([0xe2, 0x80])])
    const error = await rejectionOf(importFile(file('cut.csv', cut)), CsvImportError)
    expect(error.message).toMatch(/^Line 3 is not valid UTF-8/)
  })

  it('skips rows whose serial holds a NUL byte or another control character, by line', async () => {
    const report = await importFile(
      file('controls.csv', 'Serial,Model\r\nA\u00001,x\r\nB\u00072,y\r\nC3,z\r\n'),
    )
    expect(report).toMatchObject({ rows: 3, devices: 1, skipped: 2 })
    expect(report.errors).toEqual([
      {
        line: 2,
        message:
          'the serial number holds the control character U+0000 (a NUL byte); serial numbers are letters and digits',
      },
      {
        line: 3,
        message:
          'the serial number holds the control character U+0007; serial numbers are letters and digits',
      },
    ])
  })

  it('stops when canceled and leaves the tenant as it was', async () => {
    const db = tenants.open()
    db.importCsv(readCsvFixture('abm-warranty.csv'), NOW)
    const before = db.snapshot()
    const abort = new AbortController()
    const path = file('big.csv', generateDevicesCsv(6_000, 3))
    await rejectionOf(
      db.importCsvFile(path, {
        seenAt: NOW,
        signal: abort.signal,
        onProgress: () => abort.abort(),
      }),
      CsvImportCanceledError,
    )
    expect(db.snapshot()).toEqual(before)
    expect((await db.importCsvFile(path, { seenAt: NOW })).devices).toBe(6_000)
  })

  it('says which file it cannot read', async () => {
    const missing = join(tenants.dataDir(), 'missing.csv')
    const error = await rejectionOf(importFile(missing), CsvImportError)
    expect(error.message).toBe(`Cannot read ${missing}. Nothing was imported.`)
  })
})
