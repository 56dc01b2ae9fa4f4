// Writing a whole file the user asked for (an export), so that it is never seen half-written, and
// never into the app's own data folder.
import { randomUUID } from 'node:crypto'
import {
  closeSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
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

export class ExportTargetError extends Error {
  override name = 'ExportTargetError'
  readonly code = 'invalid_input'
}

/**
 * Refuses to write an export (a CSV, a payload) into the app's data folder, where it could replace
 * the state file, the audit log or a tenant database. Both paths are compared as the file system
 * resolves them (symlinks followed, and without regard to case where the file system ignores it).
 */
export function assertOutsideDataDir(dataDir: string, target: string): void {
  const folder = resolvedPath(dataDir)
  const file = resolvedPath(target)
  const ignoreCase = ignoresCase(folder)
  const inside = relative(
    ignoreCase ? folder.toLowerCase() : folder,
    ignoreCase ? file.toLowerCase() : file,
  )
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new ExportTargetError(
      `${target} is inside the app's data folder (${dataDir}), where a file could replace the app's own data. Nothing was written; choose a folder elsewhere, such as Documents.`,
    )
  }
}

/** The path with every symlink resolved, as far as it exists; the rest is taken as written. */
function resolvedPath(path: string): string {
  const missing: string[] = []
  let existing = resolve(path)
  for (;;) {
    try {
      return join(realpathSync.native(existing), ...missing)
    } catch (error) {
      const parent = dirname(existing)
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === existing) throw error
      missing.unshift(basename(existing))
      existing = parent
    }
  }
}

/** Whether the file system of `folder` ignores case: the same folder answers to its name swapped. */
function ignoresCase(folder: string): boolean {
  const swapped = [...folder]
    .map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()))
    .join('')
  if (swapped === folder) return false
  try {
    const [a, b] = [statSync(folder), statSync(swapped)]
    return a.dev === b.dev && a.ino === b.ino
  } catch {
    return false
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
