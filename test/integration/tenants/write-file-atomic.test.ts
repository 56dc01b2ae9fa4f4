import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomic } from '../../../main/files'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'axm-files-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('writeFileAtomic', () => {
  it('writes a new file private to the user and leaves no temporary file', () => {
    const path = join(dir, 'audit.csv')
    writeFileAtomic(path, 'a,b\r\n')
    expect(readFileSync(path, 'utf8')).toBe('a,b\r\n')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['audit.csv'])
  })

  it('replaces a file that is there', () => {
    const path = join(dir, 'devices.csv')
    writeFileAtomic(path, 'old')
    writeFileAtomic(path, 'new')
    expect(readFileSync(path, 'utf8')).toBe('new')
    expect(readdirSync(dir)).toEqual(['devices.csv'])
  })

  it('removes its temporary file and throws when the rename fails', () => {
    // A folder cannot be replaced by a file, so the rename fails after the temporary file is written.
    const path = join(dir, 'taken')
    mkdirSync(path)
    expect(() => writeFileAtomic(path, 'text')).toThrow(/EISDIR/)
    expect(readdirSync(dir)).toEqual(['taken'])
  })
})
