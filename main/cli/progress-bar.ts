// The progress bars `tenant import-csv` and `sync` draw on a terminal: one line, redrawn in place.
import type { ImportProgress } from '../tenants/csv-file-import'

const WIDTH = 30
const MIB = 1024 * 1024

/** A bar of WIDTH cells, `share` (0 to 1) of them filled. */
export function progressBar(share: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, share)) * WIDTH)
  return `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`
}

export function formatImportProgress({ bytesRead, totalBytes, rows }: ImportProgress): string {
  const share = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 1
  const bar = progressBar(share)
  const size = `${(bytesRead / MIB).toFixed(1)} of ${(totalBytes / MIB).toFixed(1)} MiB`
  return `${bar} ${Math.floor(share * 100)
    .toString()
    .padStart(3)}%  ${size}, ${rows.toLocaleString('en-US')} rows`
}
