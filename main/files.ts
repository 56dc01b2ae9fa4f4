// Writing a whole file the user asked for (an export), so that it is never seen half-written.
import { randomUUID } from 'node:crypto'
import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Steps } from './tenants/steps'

/**
 * Writes `content` to `path` whole or not at all: into a temporary file in the same folder (so the
 * rename never crosses file systems), private to the user, then renamed over `path`. The temporary
 * file is removed again when anything fails.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = temporaryPath(path)
  try {
    writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' })
    renameSync(temporary, path)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}

/**
 * writeFileAtomic for content made in steps (see ./tenants/steps): `fill` hands each piece to
 * `write`, which appends it to the temporary file at once, so the whole content is never in memory.
 */
export function* writeFileAtomicSteps<T>(
  path: string,
  fill: (write: (text: string) => void) => Steps<T>,
): Steps<T> {
  const temporary = temporaryPath(path)
  let fd: number | undefined
  try {
    fd = openSync(temporary, 'wx', 0o600)
    const file = fd
    const result = yield* fill((text) => void writeSync(file, text))
    closeSync(fd)
    fd = undefined
    renameSync(temporary, path)
    return result
  } finally {
    if (fd !== undefined) closeSync(fd)
    rmSync(temporary, { force: true })
  }
}

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomUUID()}.partial`)
}
