/** The tenant has no devices yet: how to bring them in. */
export function EmptyDevices({ onImport }: { onImport: () => void }) {
  return (
    <div className="empty-state">
      <h2>No devices yet</h2>
      <p>
        Import a CSV file of this tenant&apos;s devices and their warranty or AppleCare coverage.
        Exports from <strong>ABM Warranty</strong> import as they are; other spreadsheets need at
        least a <code>Serial</code> column, and columns such as <code>Model</code>,{' '}
        <code>Product Family</code>, <code>Status</code>, <code>Standard End</code> or{' '}
        <code>AC+ End</code> are picked up by name. Dates are read as ISO-8601 (2025-06-30).
      </p>
      <button type="button" className="btn btn-primary" onClick={onImport}>
        Import CSV…
      </button>
    </div>
  )
}
