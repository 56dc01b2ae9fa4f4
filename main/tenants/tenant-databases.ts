// Keeps one open connection per tenant database for the life of the process.
import type { TenantRemovalNote } from '../vault/tenant-removal'
import type { WorkerScript } from '../worker-script'
import { deleteRemovalNote, readRemovalNotes, writeRemovalNote } from './removal-notes'
import {
  createTenantDatabase,
  deleteTenantDatabase,
  TenantDatabase,
  tenantDatabasePath,
} from './tenant-database'

export class TenantDatabases {
  readonly #open = new Map<string, TenantDatabase>()

  /** With `importWorker`, file imports run in a worker thread started from it. */
  constructor(
    private readonly dataDir: string,
    private readonly importWorker?: WorkerScript,
  ) {}

  open(tenantId: string): TenantDatabase {
    let db = this.#open.get(tenantId)
    if (!db) {
      db = TenantDatabase.open(this.dataDir, tenantId, this.importWorker)
      this.#open.set(tenantId, db)
    }
    return db
  }

  create(tenantId: string): void {
    createTenantDatabase(this.dataDir, tenantId)
  }

  remove(tenantId: string): void {
    this.#open.get(tenantId)?.close()
    this.#open.delete(tenantId)
    deleteTenantDatabase(this.dataDir, tenantId)
  }

  noteRemoval(note: TenantRemovalNote): void {
    writeRemovalNote(this.dataDir, note)
  }

  notedRemovals(): ReturnType<typeof readRemovalNotes> {
    return readRemovalNotes(this.dataDir)
  }

  dropRemovalNote(tenantId: string): void {
    deleteRemovalNote(this.dataDir, tenantId)
  }

  path(tenantId: string): string {
    return tenantDatabasePath(this.dataDir, tenantId)
  }

  closeAll(): void {
    for (const db of this.#open.values()) db.close()
    this.#open.clear()
  }
}
