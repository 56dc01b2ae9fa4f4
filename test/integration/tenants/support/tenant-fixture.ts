// Real tenant database files in a throwaway data folder, removed after each test.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach } from 'vitest'
import { tenantDbPath } from '../../../../main/paths'
import type { CsvFileImportOptions } from '../../../../main/tenants/csv-file-import'
import { TenantDatabase } from '../../../../main/tenants/tenant-database'

/** The fixed "now" of the tenant tests: coverage ending before 2025-06-01 is expired. */
export const NOW = new Date('2025-06-01T12:00:00Z')

export function readCsvFixture(name: string): string {
  return readFileSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'csv', name), 'utf8')
}

let csvFiles = 0

/** Imports `csv` the way the app and the CLI do: written to a file, which then streams in. */
export function importAsFile(
  db: TenantDatabase,
  csv: string,
  seenAt: Date,
  options: Omit<Partial<CsvFileImportOptions>, 'seenAt'> = {},
): ReturnType<TenantDatabase['importCsvFile']> {
  const path = join(mkdtempSync(join(tmpdir(), 'axm-csv-')), `import-${++csvFiles}.csv`)
  writeFileSync(path, csv)
  return db
    .importCsvFile(path, { ...options, seenAt })
    .finally(() => rmSync(dirname(path), { recursive: true, force: true }))
}

/** The serial whose write fails once `failWritingLastSerial` armed the database. */
export const LAST_SERIAL = 'ZZZ-LAST'

/**
 * A trigger stands in for a failing disk: writing the device LAST_SERIAL aborts, so an import whose
 * file ends with it fails at its very last row.
 */
export function failWritingLastSerial(db: DatabaseSync): void {
  db.exec(
    `CREATE TRIGGER fail_late BEFORE INSERT ON devices WHEN NEW.serial = '${LAST_SERIAL}'
       BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`,
  )
}

/** A fresh data folder per test; every database opened through `open` is closed afterwards. */
export function useTenantDataDir(): {
  dataDir: () => string
  open: (tenantId?: string) => TenantDatabase
  /** A second, plain connection to inspect the file the way another process would. */
  inspect: (tenantId?: string) => DatabaseSync
} {
  let dir: string | undefined
  const opened: { close(): void }[] = []
  afterEach(() => {
    for (const db of opened.splice(0)) db.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })
  const dataDir = (): string => (dir ??= mkdtempSync(join(tmpdir(), 'axm-tenants-')))
  return {
    dataDir,
    open: (tenantId = 'tenant-a') => {
      const db = TenantDatabase.open(dataDir(), tenantId)
      opened.push(db)
      return db
    },
    inspect: (tenantId = 'tenant-a') => {
      const db = new DatabaseSync(tenantDbPath(dataDir(), tenantId))
      opened.push({ close: () => db.isOpen && db.close() })
      return db
    },
  }
}
