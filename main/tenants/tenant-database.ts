// One tenant's device database: a SQLite file of its own under <userData>/tenants/, opened with the
// SQLite built into Node and Electron (node:sqlite), so there is no native module to rebuild.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync, type DatabaseSyncOptions } from 'node:sqlite'
import type {
  CsvImportReport,
  DeviceCounts,
  DeviceRow,
  DeviceSort,
  TenantDataSnapshot,
} from '../../preload/model'
import { writeFileAtomicSteps } from '../files'
import { tenantDbPath } from '../paths'
import { exportSteps, type ExportCount, type ExportProgress, type ExportView } from './csv-export'
import { importCsvFile, type CsvFileImportOptions } from './csv-file-import'
import { CsvImporter } from './csv-import'
import { importCsvFileInWorker, ImportWorkerUnavailableError } from './import-in-worker'
import type { WorkerScript } from '../worker-script'
import {
  countDevices,
  countView,
  queryDevices,
  sortOrderSql,
  viewWhere,
  type DeviceQuery,
  type DeviceView,
} from './device-queries'

import { CsvExportCanceledError, TenantBusyError, TenantDatabaseError } from './errors'
import {
  owePendingImportAudits,
  pendingImportAudits,
  settleImportAudit,
  type PendingImportAudit,
} from './import-audits'
import { migrate } from './migrate'
import { currentSnapshot } from './snapshot'
import { runSteps, runStepsCooperatively, type Steps } from './steps'
import { inTransaction, readTransactionSteps } from './transaction'

/** An export written: where, its data rows (one per coverage record) and the devices in them. */
export interface ExportedFile extends ExportCount {
  path: string
}

export interface CooperativeExportOptions {
  /** Only the devices this view shows (its tile's filter and search); all devices without one. */
  view?: DeviceView
  /** The order of the devices, as the table shows them; by serial without one. */
  sort?: DeviceSort
  /** The day the view's tile is counted from. */
  now?: Date
  /** Aborting it stops the export at its next pause and removes the part of the file written. */
  signal?: AbortSignal
  onProgress?: (progress: ExportProgress) => void
}

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

// Wait for a moment when the app and the command line write at once, instead of failing.
const WAIT_FOR_LOCK_MS = 5_000

// In WAL mode, synchronous=NORMAL still never corrupts the file; a power cut may only lose the last
// commit, and a CSV import can simply be run again. The 32 MiB page cache is for the Devices
// screen's reads, whose pages, searches and counts come back to the same pages; a CSV import runs
// with less (see csv-file-import.ts).
const CONNECTION_SETTINGS =
  'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768'

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

/** Where a tenant database is, and how its file imports run. */
interface TenantDatabasePlace {
  dataDir: string
  tenantId: string
  path: string
  /** Imports files in a worker thread started from this script; in this thread without one. */
  importWorker?: WorkerScript
}

export class TenantDatabase {
  readonly #db: DatabaseSync
  readonly #place: TenantDatabasePlace
  /** Set while importCsvFile runs: its write transaction is open until it ends. */
  #importing = false
  /** Aborted by close: an import running in a worker stops and rolls back. */
  readonly #closing = new AbortController()

  private constructor(db: DatabaseSync, place: TenantDatabasePlace) {
    this.#db = db
    this.#place = place
  }

  /** Opens the tenant's database, creating the folder and file and bringing the schema up to date. */
  static open(dataDir: string, tenantId: string, importWorker?: WorkerScript): TenantDatabase {
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
    return new TenantDatabase(db, { dataDir, tenantId, path, importWorker })
  }

  close(): void {
    this.#closing.abort()
    if (this.#db.isOpen) this.#db.close()
  }

  // While a file import is running, counts and queries read through its open transaction on this
  // same connection: they see the rows written so far.
  counts(now: Date = new Date()): DeviceCounts {
    return countDevices(this.#db, now)
  }

  /** How many devices a view shows (the table's row count), counted once per view. */
  countView(view: DeviceView, now: Date = new Date()): number {
    return countView(this.#db, view, now)
  }

  query(query: DeviceQuery, now: Date = new Date()): DeviceRow[] {
    return queryDevices(this.#db, query, now)
  }

  /**
   * Imports CSV text already in memory (ABM Warranty's export, our own export or a spreadsheet with
   * such headers). `seenAt` is recorded as the devices' last sighting (and first, for new devices)
   * where the file has none. Files go through importCsvFile, which streams.
   */
  importCsv(text: string, seenAt: Date = new Date()): CsvImportReport {
    this.#refuseWhileImporting()
    return inTransaction(this.#db, () => {
      const importer = new CsvImporter(this.#db, seenAt)
      importer.push(text, true)
      return importer.finish()
    })
  }

  /**
   * Imports a CSV file of any size in constant memory, a piece at a time, in one transaction: all
   * of it lands, or (failure, cancel) none of it. With an import worker, the file is read, parsed
   * and written in that thread on a connection of its own, and this connection's reads see the
   * data as it was until the import commits; without one, a piece at a time in this thread with a
   * turn of the event loop between pieces, and reads on this connection see the rows so far.
   */
  async importCsvFile(
    path: string,
    { seenAt = new Date(), signal, onProgress }: Partial<CsvFileImportOptions> = {},
  ): Promise<CsvImportReport> {
    this.#refuseWhileImporting()
    this.#importing = true
    try {
      const { dataDir, tenantId, importWorker } = this.#place
      const inThisThread = () => importCsvFile(this.#db, path, { seenAt, signal, onProgress })
      if (!importWorker) return await inThisThread()
      const job = { dataDir, tenantId, path, seenAt: seenAt.toISOString() }
      const stop = signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal
      return await importCsvFileInWorker(importWorker, job, { signal: stop, onProgress }).catch(
        (error: unknown) => {
          if (!(error instanceof ImportWorkerUnavailableError)) throw error
          console.warn(`${error.message} The file is imported in the main thread instead.`)
          return inThisThread()
        },
      )
    } finally {
      this.#importing = false
    }
  }

  /** Every device and coverage record, in the format importCsv reads back without loss. */
  exportCsv(): string {
    let text = ''
    runSteps(this.#exportSteps((piece) => (text += piece)))
    return text
  }

  /** Writes the export to `path` (whole or not at all: through a temporary file and a rename). */
  exportCsvFile(path: string): ExportedFile {
    return { path, ...runSteps(writeFileAtomicSteps(path, (write) => this.#exportSteps(write))) }
  }

  /**
   * exportCsvFile in steps of a few thousand rows with a turn of the event loop between them, so
   * the app stays responsive during a large export; each step's rows go to the file as they are
   * formatted, so memory stays flat. The file is the data as it was committed when the export
   * started: imports may run and commit meanwhile and are not in it. With `view`, only the devices
   * that view shows (its tile's filter and search) are exported; with `sort`, in the table's order.
   */
  async exportCsvFileCooperatively(
    path: string,
    { view, sort, now = new Date(), signal, onProgress }: CooperativeExportOptions = {},
  ): Promise<ExportedFile> {
    const shown: ExportView = {
      ...(view ? viewWhere(view, now) : { where: [], params: {} }),
      order: sort && sortOrderSql(sort, 'd'),
    }
    const write = writeFileAtomicSteps(path, (piece) => this.#exportSteps(piece, shown, onProgress))
    const cancel = signal && { signal, error: () => new CsvExportCanceledError() }
    return { path, ...(await runStepsCooperatively(write, cancel)) }
  }

  /** The audit entries CSV imports owe (see import-audits.ts), oldest first. */
  owedImportAudits(): PendingImportAudit[] {
    return pendingImportAudits(this.#db)
  }

  /** Call once the import's audit entry is written. */
  settleImportAudit(syncRunId: number): void {
    settleImportAudit(this.#db, syncRunId)
  }

  /** Counts and content hash; cached until the next write (by any connection: see the schema). */
  snapshot(): TenantDataSnapshot {
    this.#refuseWhileImporting()
    return currentSnapshot(this.#db)
  }

  // Exports read on a connection of their own, in one read transaction: in WAL mode it sees the
  // data as committed when it began, whatever this connection writes or holds open meanwhile. So an
  // export needs no busy guard, is never half an import, and never delays an import (a reader does
  // not lock writers out); a busy guard on this connection would instead refuse imports and
  // snapshots for as long as a large export runs.
  *#exportSteps(
    write: (text: string) => void,
    view?: ExportView,
    onProgress?: (progress: ExportProgress) => void,
  ): Steps<ExportCount> {
    const reader = connectReader(this.#place.path)
    try {
      return yield* readTransactionSteps(reader, exportSteps(reader, write, view, onProgress))
    } finally {
      reader.close()
    }
  }

  // In this thread, a transaction cannot start inside the import's open one, and a snapshot would
  // take in half an import. In a worker, a write here would wait on the import's lock with the
  // thread blocked, and a snapshot would be out of date as soon as the import commits.
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
  for (const file of databaseFiles(path)) rmSync(file, { force: true })
}
