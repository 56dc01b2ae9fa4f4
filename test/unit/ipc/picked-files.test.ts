import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PickedFileError, PickedFiles } from '../../../main/ipc/picked-files'

const dir = mkdtempSync(join(tmpdir(), 'axm-picked-'))

describe('PickedFiles', () => {
  it('reads a picked file by its token, and only by its token', async () => {
    const path = join(dir, 'key.pem')
    writeFileSync(path, 'bytes')
    const files = new PickedFiles()
    const { token, fileName } = files.register(path)
    expect(fileName).toBe('key.pem')
    expect((await files.read(token)).bytes.toString()).toBe('bytes')
    await expect(files.read('not-a-token')).rejects.toThrow(/Choose it again/)
  })

  it('forgets a token after ten minutes', async () => {
    const path = join(dir, 'old.pem')
    writeFileSync(path, 'bytes')
    let now = 0
    const files = new PickedFiles(() => now)
    const { token } = files.register(path)
    now = 10 * 60 * 1000 + 1
    await expect(files.read(token)).rejects.toBeInstanceOf(PickedFileError)
  })

  it('says so when the file went away or is too large to be a key', async () => {
    const gone = join(dir, 'gone.pem')
    writeFileSync(gone, 'bytes')
    const big = join(dir, 'big.p12')
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1))
    const files = new PickedFiles()
    const goneToken = files.register(gone).token
    rmSync(gone)
    await expect(files.read(goneToken)).rejects.toThrow('gone.pem could not be read')
    await expect(files.read(files.register(big).token)).rejects.toThrow('larger than 1 MB')
  })
})
