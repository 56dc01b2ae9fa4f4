// The progress bar `tenant import-csv` draws on a terminal: one line, redrawn in place.
import type { ImportProgress } from '../tenants/csv-file-import'

const WIDTH = 30
const MIB = 1024 * 1024

export function formatImportProgress({ bytesRead, totalBytes, rows }: ImportProgress): string {
  const share = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 1
  const filled = Math.round(share * WIDTH)
  const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`
  const size = `${(bytesRead / MIB).toFixed(1)} of ${(totalBytes / MIB).toFixed(1)} MiB`
  return `${bar} ${Math.floor(share * 100)
    .toString()
    .padStart(3)}%  ${size}, ${rows.toLocaleString('en-US')} rows`
}
