// Brings a tenant database up to the schema this build knows, one migration per transaction, with
// PRAGMA user_version recording how far it got (SQLite rolls the pragma back with the transaction).
import type { DatabaseSync } from 'node:sqlite'
import { TenantDatabaseError } from './errors'
import { TENANT_MIGRATIONS, type Migration } from './tenant-schema'
import { inTransaction } from './transaction'

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get()
  return Number(row?.user_version ?? 0)
}

export function migrate(
  db: DatabaseSync,
  migrations: readonly Migration[] = TENANT_MIGRATIONS,
): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration #${index} has version ${migration.version}, expected ${index + 1}`)
    }
  })
  const current = schemaVersion(db)
  if (current > migrations.length) {
    throw new TenantDatabaseError(
      `This tenant's device database was written by a newer version of AxM Credential Manager (schema ${current}). Update the app to open it; the data was left untouched.`,
    )
  }
  for (const migration of migrations.slice(current)) {
    try {
      inTransaction(db, () => {
        migration.up(db)
        db.exec(`PRAGMA user_version = ${migration.version}`)
      })
    } catch (error) {
      throw new TenantDatabaseError(
        `The tenant's device database could not be upgraded (step ${migration.version}: ${migration.description}). It was left as it was, at step ${schemaVersion(db)}.`,
        { cause: error },
      )
    }
  }
}
