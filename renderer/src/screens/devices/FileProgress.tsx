import type { CsvExportProgress, CsvImportProgress } from '../../../../preload/model'
import { formatCount, plural } from '../../format'

const MIB = 1024 * 1024

/** What a progress line shows of long work on a file: a bar, a sentence, and its Cancel. */
export interface FileWork {
  /** Names the whole line for a screen reader. */
  title: string
  /** What the bar measures. */
  measure: string
  value: number
  max: number
  detail: string
  cancel: string
}

export function importWork({ bytesRead, totalBytes, rows }: CsvImportProgress): FileWork {
  return {
    title: 'Import progress',
    measure: 'Bytes of the file read',
    value: bytesRead,
    max: totalBytes,
    detail: `${(bytesRead / MIB).toFixed(1)} of ${(totalBytes / MIB).toFixed(1)} MiB, ${plural(rows, 'row')}`,
    cancel: 'Cancel import',
  }
}

export function exportWork({ devices, totalDevices, rows }: CsvExportProgress): FileWork {
  return {
    title: 'Export progress',
    measure: 'Devices written',
    value: devices,
    max: Math.max(totalDevices, 1),
    detail: `${formatCount(devices)} of ${plural(totalDevices, 'device')} written (${plural(rows, 'row')})`,
    cancel: 'Cancel export',
  }
}

/**
 * A running CSV import or export: how far it has got, and a Cancel that leaves things as they were
 * (an import changes nothing, an export leaves no file).
 */
export function FileProgress({ work, onCancel }: { work: FileWork; onCancel: () => void }) {
  return (
    <div className="file-progress" role="status" aria-label={work.title}>
      <progress max={work.max} value={work.value} aria-label={work.measure} />
      <span className="muted">{work.detail}</span>
      <button type="button" className="btn" onClick={onCancel}>
        {work.cancel}
      </button>
    </div>
  )
}
