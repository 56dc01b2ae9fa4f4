/** The tenant has no devices yet: how to bring them in. */
export function EmptyDevices({
  onImport,
  onSync,
}: {
  onImport: () => void
  /** Absent while the tenant has no credential (or a sync already runs). */
  onSync?: () => void
}) {
  return (
    <div className="empty-state">
      <h2>No devices yet</h2>
      <p>
        Sync reads this tenant&apos;s devices and their AppleCare coverage from Apple with its API
        credential. Or import a CSV file of this tenant&apos;s devices and their warranty or
        AppleCare coverage. Exports from <strong>ABM Warranty</strong> import as they are; other
        spreadsheets need at least a <code>Serial</code> column, and columns such as{' '}
        <code>Model</code>, <code>Product Family</code>, <code>Status</code>,{' '}
        <code>Standard End</code> or <code>AC+ End</code> are picked up by name. Dates are read as
        ISO-8601 (2025-06-30).
      </p>
      <div className="header-actions">
        {onSync && (
          <button type="button" className="btn btn-primary" onClick={onSync}>
            Sync Now
          </button>
        )}
        <button type="button" className={onSync ? 'btn' : 'btn btn-primary'} onClick={onImport}>
          Import CSV…
        </button>
      </div>
    </div>
  )
}
