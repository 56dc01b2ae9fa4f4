// One tenant's device database: a SQLite file of its own under <userData>/tenants/, opened with the
// SQLite built into Node and Electron (node:sqlite), so there is no native module to rebuild.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync, type DatabaseSyncOptions } from 'node:sqlite'
import type { CsvImportReport, DeviceCounts, TenantDataSnapshot } from '../../preload/model'
import { writeFileAtomic } from '../files'
import { tenantDbPath } from '../paths'
import { exportSteps, type CsvExport } from './csv-export'
import { importSteps } from './csv-import'
import {
  owePendingImportAudits,
  pendingImportAudits,
  settleImportAudit,
  type PendingImportAudit,
} from './import-audits'
import { countDevices, queryDevices, type DevicePage, type DeviceQuery } from './device-queries'
import { TenantBusyError, TenantDatabaseError } from './errors'
import { migrate } from './migrate'
import { currentSnapshot, currentSnapshotSteps } from './snapshot'
import { runSteps, runStepsCooperatively, type Steps } from './steps'
import { readTransactionSteps } from './transaction'

// A tenant id becomes a file name; anything but these characters could point outside the folder.
const SAFE_TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/

/** The database file of a tenant, after checking the id cannot escape the tenants folder. */
export function tenantDatabasePath(dataDir: string, tenantId: string): string {
  // test() would turn a non-string (an undefined from a caller) into a valid-looking "undefined".
  if (typeof tenantId !== 'string' || !SAFE_TENANT_ID.test(tenantId)) {
    throw new TenantDatabaseError(`"${tenantId}" is not a valid tenant id.`)
  }
  return tenantDbPath(dataDir, tenantId)
}

// Wait for a moment when the app and the command line write at once, instead of failing.
const WAIT_FOR_LOCK_MS = 5_000

// In WAL mode, synchronous=NORMAL still never corrupts the file; a power cut may only lose the last
// commit, and a CSV import can simply be run again. A 32 MiB page cache keeps a 100,000-device
// import in memory until it commits (the 2 MiB default spills it to disk mid-import and takes twice
// as long).
const CONNECTION_SETTINGS =
  'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768'

/** The database and its WAL and shared-memory files. */
const databaseFiles = (path: string): string[] => [path, `${path}-wal`, `${path}-shm`]

/**
 * Creates the database file readable by its owner only before SQLite opens it: SQLite gives the
 * WAL and shared-memory files it makes the mode of the database file. Files made by an earlier
 * version with wider modes are narrowed.
 */
function makePrivate(path: string): void {
  closeSync(openSync(path, 'a', 0o600))
  if (process.platform === 'win32') return
  for (const file of databaseFiles(path)) if (existsSync(file)) chmodSync(file, 0o600)
}

function connect(path: string): DatabaseSync {
  const options = { enableForeignKeyConstraints: true, timeout: WAIT_FOR_LOCK_MS }
  return openDatabaseFile(path, options, CONNECTION_SETTINGS)
}

/** A second connection that only reads; connect has already put the file in WAL mode. */
function connectReader(path: string): DatabaseSync {
  return openDatabaseFile(path, { readOnly: true, timeout: WAIT_FOR_LOCK_MS })
}

function openDatabaseFile(
  path: string,
  options: DatabaseSyncOptions,
  settings?: string,
): DatabaseSync {
  let db: DatabaseSync | undefined
  try {
    db = new DatabaseSync(path, options)
    if (settings) db.exec(settings)
    return db
  } catch (error) {
    db?.close()
    throw new TenantDatabaseError(
      `The tenant's device database at ${path} could not be opened; it may be damaged or not a database. It was left untouched.`,
      { cause: error },
    )
  }
}

export class TenantDatabase {
  readonly #db: DatabaseSync
  readonly #path: string
  /** Set while importCsvCooperatively holds the write transaction open between its steps. */
  #importing = false

  private constructor(db: DatabaseSync, path: string) {
    this.#db = db
    this.#path = path
  }

  /** Opens the tenant's database, creating the folder and file and bringing the schema up to date. */
  static open(dataDir: string, tenantId: string): TenantDatabase {
    const path = tenantDatabasePath(dataDir, tenantId)
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    makePrivate(path)
    const db = connect(path)
    try {
      migrate(db)
      owePendingImportAudits(db)
    } catch (error) {
      db.close()
      throw error
    }
    return new TenantDatabase(db, path)
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close()
  }

  // While a cooperative import is running, counts and query read through its open transaction on
  // this same connection: they see the rows written so far, whose coverage state (best_coverage_*)
  // is only brought up to date at the end of the import.
  counts(now: Date = new Date()): DeviceCounts {
    return countDevices(this.#db, now)
  }

  query(query: DeviceQuery, now: Date = new Date()): DevicePage {
    return queryDevices(this.#db, query, now)
  }

  /**
   * Imports ABM Warranty's export, our own export or a spreadsheet with such headers. `seenAt` is
   * recorded as the devices' last sighting (and first, for new devices) where the file has none.
   */
  importCsv(text: string, seenAt: Date = new Date()): CsvImportReport {
    this.#refuseWhileImporting()
    return runSteps(this.#importSteps(text, seenAt))
  }

  /**
   * importCsv in steps of a few thousand rows with a turn of the event loop between them, so the
   * app stays responsive during a large import. Same transaction, same all-or-nothing, same report.
   */
  async importCsvCooperatively(text: string, seenAt: Date = new Date()): Promise<CsvImportReport> {
    this.#refuseWhileImporting()
    this.#importing = true
    try {
      return await runStepsCooperatively(this.#importSteps(text, seenAt))
    } finally {
      this.#importing = false
    }
  }

  /** The audit entries CSV imports owe (see import-audits.ts), oldest first. */
  owedImportAudits(): PendingImportAudit[] {
    return pendingImportAudits(this.#db)
  }

  /** Call once the import's audit entry is written. */
  settleImportAudit(syncRunId: number): void {
    settleImportAudit(this.#db, syncRunId)
  }

  /** Every device and coverage record, in the format importCsv reads back without loss. */
  exportCsv(): string {
    return runSteps(this.#exportSteps()).text
  }

  /** Writes the export to `path` (whole or not at all: through a temporary file and a rename). */
  exportCsvFile(path: string): { path: string; rows: number } {
    return writeExport(path, runSteps(this.#exportSteps()))
  }

  /**
   * exportCsvFile in steps of a few thousand rows with a turn of the event loop between them, so
   * the app stays responsive during a large export. The file is the data as it was committed when
   * the export started: imports may run and commit meanwhile and are not in it.
   */
  async exportCsvFileCooperatively(path: string): Promise<{ path: string; rows: number }> {
    return writeExport(path, await runStepsCooperatively(this.#exportSteps()))
  }

  /** Counts and content hash; cached until the next write. */
  snapshot(): TenantDataSnapshot {
    this.#refuseWhileImporting()
    return currentSnapshot(this.#db)
  }

  *#importSteps(text: string, seenAt: Date): Steps<CsvImportReport> {
    const report = yield* importSteps(this.#db, text, seenAt)
    if (report.devices > 0) {
      // The import pays for hashing what it wrote, so a rotation's snapshots answer from the cache.
      // A pause first: committing and hashing a large import are a long step each.
      yield
      yield* currentSnapshotSteps(this.#db)
    }
    return report
  }

  // Exports read on a connection of their own, in one read transaction: in WAL mode it sees the
  // data as committed when it began, whatever this connection writes or holds open meanwhile. So an
  // export needs no busy guard, is never half an import, and never delays an import (a reader does
  // not lock writers out); a busy guard on this connection would instead refuse imports and
  // snapshots for as long as a large export runs.
  *#exportSteps(): Steps<CsvExport> {
    const reader = connectReader(this.#path)
    try {
      return yield* readTransactionSteps(reader, exportSteps(reader))
    } finally {
      reader.close()
    }
  }

  // A transaction cannot start inside the import's open one, and a snapshot would take in half an
  // import.
  #refuseWhileImporting(): void {
    if (this.#importing) throw new TenantBusyError()
  }
}

function writeExport(path: string, { text, rows }: CsvExport): { path: string; rows: number } {
  writeFileAtomic(path, text)
  return { path, rows }
}

export function createTenantDatabase(dataDir: string, tenantId: string): void {
  TenantDatabase.open(dataDir, tenantId).close()
}

/** Removes the tenant's database with its WAL and shared-memory files. Close it first. */
export function deleteTenantDatabase(dataDir: string, tenantId: string): void {
  const path = tenantDatabasePath(dataDir, tenantId)
  for (const file of databaseFiles(path)) rmSync(file, { force: true })
}
