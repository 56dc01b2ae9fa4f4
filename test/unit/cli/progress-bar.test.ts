import { describe, expect, it } from 'vitest'
import { formatImportProgress } from '../../../main/cli/progress-bar'

const MIB = 1024 * 1024

describe('the import progress bar', () => {
  it('fills with the share of the file read and says bytes and rows', () => {
    expect(formatImportProgress({ bytesRead: 3 * MIB, totalBytes: 12 * MIB, rows: 12_345 })).toBe(
      `${'█'.repeat(8)}${'░'.repeat(22)}  25%  3.0 of 12.0 MiB, 12,345 rows`,
    )
  })

  it('is full at the end, and for an empty file', () => {
    expect(formatImportProgress({ bytesRead: MIB, totalBytes: MIB, rows: 1 })).toMatch(
      /^█{30} 100% /,
    )
    expect(formatImportProgress({ bytesRead: 0, totalBytes: 0, rows: 0 })).toMatch(/^█{30} 100% /)
  })
})
