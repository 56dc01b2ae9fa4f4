// Writing a whole file the user asked for (an export), so that it is never seen half-written.
import { randomUUID } from 'node:crypto'
import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/**
 * Writes `content` to `path` whole or not at all: into a temporary file in the same folder (so the
 * rename never crosses file systems), private to the user, then renamed over `path`. The temporary
 * file is removed again when anything fails.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.partial`)
  try {
    writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' })
    renameSync(temporary, path)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}
