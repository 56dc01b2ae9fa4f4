import type { CsvImportReport } from '../../../../preload/model'
import { CopyButton } from '../../components/CopyButton'
import { plural } from '../../format'

/** What a CSV import read, kept, and could not use (by line number). */
export function ImportReport({
  report,
  onDismiss,
}: {
  report: CsvImportReport
  onDismiss: () => void
}) {
  // Main reports the first thousand reasons; the list shows them all, scrolled and copyable.
  const hidden = report.skipped - report.errors.length
  const lines = report.errors.map((error) => `Line ${error.line}: ${error.message}`)
  return (
    <div
      className={report.skipped ? 'notice notice-warning' : 'notice notice-success'}
      role="status"
    >
      <div className="notice-row">
        <p className="notice-title">
          Imported {plural(report.rows, 'row')}: {plural(report.devices, 'device')},{' '}
          {plural(report.coverage, 'coverage record')}
          {report.skipped > 0 && `; ${plural(report.skipped, 'row')} skipped`}.
        </p>
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      {report.skipped > 0 && (
        <>
          <p className="notice-hint">
            Only the rows listed below were skipped; everything else was imported. Fix those rows in
            the file and import it again.{' '}
            <CopyButton text={lines.join('\n')} label="Copy the skipped rows' reasons" />
          </p>
          <ul className="import-errors" role="region" aria-label="Skipped rows" tabIndex={0}>
            {lines.map((line, index) => (
              <li key={report.errors[index]?.line ?? index}>{line}</li>
            ))}
            {hidden > 0 && <li>…and {plural(hidden, 'more row')}.</li>}
          </ul>
        </>
      )}
    </div>
  )
}
