// One tenant's device database: a SQLite file of its own under <userData>/tenants/, opened with the
// SQLite built into Node and Electron (node:sqlite), so there is no native module to rebuild.
import { mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { CsvImportReport, DeviceCounts, TenantDataSnapshot } from '../../preload/model'
import { writeFileAtomic } from '../files'
import { tenantDbPath } from '../paths'
import { exportDevicesCsv } from './csv-export'
import { importSteps } from './csv-import'
import { countDevices, queryDevices, type DevicePage, type DeviceQuery } from './device-queries'
import { TenantBusyError, TenantDatabaseError } from './errors'
import { migrate } from './migrate'
import { currentSnapshot, currentSnapshotSteps } from './snapshot'
import { runSteps, runStepsCooperatively, type Steps } from './steps'

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

function connect(path: string): DatabaseSync {
  let db: DatabaseSync | undefined
  try {
    // Wait for a moment when the app and the command line write at once, instead of failing.
    db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: 5_000 })
    // In WAL mode, synchronous=NORMAL still never corrupts the file; a power cut may only lose
    // the last commit, and a CSV import can simply be run again. A 32 MiB page cache keeps a
    // 100,000-device import in memory until it commits (the 2 MiB default spills it to disk
    // mid-import and takes twice as long).
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768')
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
  /** Set while importCsvCooperatively holds the write transaction open between its steps. */
  #importing = false

  private constructor(db: DatabaseSync) {
    this.#db = db
  }

  /** Opens the tenant's database, creating the folder and file and bringing the schema up to date. */
  static open(dataDir: string, tenantId: string): TenantDatabase {
    const path = tenantDatabasePath(dataDir, tenantId)
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    const db = connect(path)
    try {
      migrate(db)
    } catch (error) {
      db.close()
      throw error
    }
    return new TenantDatabase(db)
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

  /** Every device and coverage record, in the format importCsv reads back without loss. */
  exportCsv(): string {
    this.#refuseWhileImporting()
    return exportDevicesCsv(this.#db).text
  }

  /** Writes the export to `path` (whole or not at all: through a temporary file and a rename). */
  exportCsvFile(path: string): { path: string; rows: number } {
    this.#refuseWhileImporting()
    const { text, rows } = exportDevicesCsv(this.#db)
    writeFileAtomic(path, text)
    return { path, rows }
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

  // A transaction cannot start inside the import's open one, and an export or snapshot would take
  // in half an import.
  #refuseWhileImporting(): void {
    if (this.#importing) throw new TenantBusyError()
  }
}

export function createTenantDatabase(dataDir: string, tenantId: string): void {
  TenantDatabase.open(dataDir, tenantId).close()
}

/** Removes the tenant's database with its WAL and shared-memory files. Close it first. */
export function deleteTenantDatabase(dataDir: string, tenantId: string): void {
  const path = tenantDatabasePath(dataDir, tenantId)
  for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true })
}
