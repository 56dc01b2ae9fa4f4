// Fills a tenant's database with many devices in one INSERT … SELECT over a recursive CTE: seconds
// for a million devices, where a CSV import takes a minute. For tests and benches that read them.
import { DatabaseSync } from 'node:sqlite'

/** The serial number of device `index` (from 0) as fillDevices writes it. */
export const filledSerial = (index: number): string => `D${String(index).padStart(7, '0')}`

/**
 * Adds `devices` devices to the tenant database at `path`. The trigram index's triggers are set
 * aside meanwhile and put back after (what is filled here is never searched); the generation
 * triggers stay.
 */
export function fillDevices(path: string, devices: number): void {
  const db = new DatabaseSync(path)
  try {
    const searchTriggers = db
      .prepare(
        `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'devices_search_%'`,
      )
      .all()
    db.exec('BEGIN')
    for (const { name } of searchTriggers) db.exec(`DROP TRIGGER ${String(name)}`)
    db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${devices - 1})
      INSERT INTO devices (serial, model, family, first_seen, last_seen, best_coverage_end,
        best_coverage_description)
      SELECT printf('D%07d', i), 'Mac mini (2023)', 'Mac', '2025-01-01', '2025-01-01',
        printf('%04d-06-30', 2020 + i % 10), 'AppleCare+' FROM n`)
    for (const { sql } of searchTriggers) db.exec(String(sql))
    db.exec('COMMIT')
  } finally {
    db.close()
  }
}
