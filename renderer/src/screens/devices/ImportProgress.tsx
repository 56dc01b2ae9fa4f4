import type { CsvImportProgress } from '../../../../preload/model'

const MIB = 1024 * 1024

/** A running CSV import: how far it has read, and a Cancel that leaves the tenant as it was. */
export function ImportProgress({
  progress,
  onCancel,
}: {
  progress: CsvImportProgress
  onCancel: () => void
}) {
  const { bytesRead, totalBytes, rows } = progress
  return (
    <div className="import-progress" role="status" aria-label="Import progress">
      <progress max={totalBytes} value={bytesRead} aria-label="Bytes of the file read" />
      <span className="muted">
        {(bytesRead / MIB).toFixed(1)} of {(totalBytes / MIB).toFixed(1)} MiB,{' '}
        {rows.toLocaleString()} rows
      </span>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel import
      </button>
    </div>
  )
}
