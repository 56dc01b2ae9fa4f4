// Errors of the tenant database. Messages are written for the person at the helpdesk: what
// happened, and that the tenant's data was left as it was.
import type { ErrorCode } from '../../preload/contract'

/** The tenant database could not be opened or upgraded; nothing in it was changed. */
export class TenantDatabaseError extends Error {
  override name = 'TenantDatabaseError'
  readonly code: ErrorCode = 'internal'
}

/** A CSV file was refused as a whole (not a single bad row); nothing was imported. */
export class CsvImportError extends Error {
  override name = 'CsvImportError'
  readonly code: ErrorCode = 'invalid_input'
}

/**
 * A CSV import holds this tenant's write transaction open until it ends; another import, a write
 * or a snapshot through the tenant's database is refused meanwhile (exports read on a connection
 * of their own).
 */
export class TenantBusyError extends Error {
  override name = 'TenantBusyError'
  readonly code: ErrorCode = 'busy'

  constructor() {
    super('A CSV import into this tenant is still running; try again when it has finished.')
  }
}

/** The admin canceled long work on a tenant's data; what it had begun was undone. */
export class CsvCanceledError extends Error {
  override name = 'CsvCanceledError'
  readonly code: ErrorCode = 'canceled'
}

/** The admin canceled a CSV import; its transaction was rolled back, so nothing changed. */
export class CsvImportCanceledError extends CsvCanceledError {
  override name = 'CsvImportCanceledError'

  constructor() {
    super('The import was canceled. The tenant’s data is as it was before it started.')
  }
}

/** The admin canceled a CSV export; the part of the file written so far was removed. */
export class CsvExportCanceledError extends CsvCanceledError {
  override name = 'CsvExportCanceledError'

  constructor() {
    super('The export was canceled. No file was written.')
  }
}
