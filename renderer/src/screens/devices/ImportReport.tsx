import type { CsvImportReport } from '../../../../preload/model'
import { plural } from '../../format'

const SHOWN_ERRORS = 50

/** What a CSV import read, kept, and could not use (by line number). */
export function ImportReport({
  report,
  onDismiss,
}: {
  report: CsvImportReport
  onDismiss: () => void
}) {
  const hidden = report.skipped - Math.min(report.errors.length, SHOWN_ERRORS)
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
            the file and import it again.
          </p>
          <ul className="import-errors">
            {report.errors.slice(0, SHOWN_ERRORS).map((error) => (
              <li key={error.line}>
                Line {error.line}: {error.message}
              </li>
            ))}
            {hidden > 0 && <li>…and {plural(hidden, 'more row')}.</li>}
          </ul>
        </>
      )}
    </div>
  )
}
