// The notes of tenant data removals in progress (see main/vault/tenant-removal.ts), one small file
// beside each tenant database that is to be deleted: `<tenantId>.sqlite.removing.json`.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { writeFileAtomic } from '../files'
import { tenantRemovalNoteSchema, type TenantRemovalNote } from '../vault/tenant-removal'
import { tenantDatabasePath } from './tenant-database'

const NOTE_SUFFIX = '.sqlite.removing.json'

const notePath = (dataDir: string, tenantId: string): string =>
  `${tenantDatabasePath(dataDir, tenantId)}.removing.json`

export function writeRemovalNote(dataDir: string, note: TenantRemovalNote): void {
  const path = notePath(dataDir, note.tenantId)
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  writeFileAtomic(path, JSON.stringify(note))
}

export function readRemovalNotes(
  dataDir: string,
): Array<TenantRemovalNote | { tenantId: string; problem: string }> {
  const folder = dirname(tenantDatabasePath(dataDir, 'any'))
  let names: string[]
  try {
    names = readdirSync(folder).filter((name) => name.endsWith(NOTE_SUFFIX))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return names.map((name) => {
    const tenantId = name.slice(0, -NOTE_SUFFIX.length)
    try {
      const note = tenantRemovalNoteSchema.parse(
        JSON.parse(readFileSync(join(folder, name), 'utf8')),
      )
      if (note.tenantId === tenantId) return note
    } catch {
      // Reported below, like a note naming another tenant.
    }
    return { tenantId, problem: `the removal note ${name} is damaged; delete it by hand` }
  })
}

export function deleteRemovalNote(dataDir: string, tenantId: string): void {
  rmSync(notePath(dataDir, tenantId), { force: true })
}
