// A managed-preferences file: a macOS Managed Preferences plist, a Linux policy file, or the test
// override. Administrator-owned only: a file that someone other than root could have written is
// refused, because whoever writes it chooses which keys the app offers to import.
import { open, type FileHandle } from 'node:fs/promises'
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'
import { PayloadFormatError } from './errors'
import { decodePayloadBytes, MAX_PAYLOAD_BYTES } from './payload-bytes'
import type { ManagedSource, SourceReadResult } from './sources'

export interface PolicyFileOptions {
  /** The uid the file must belong to (root); null skips the owner check (the test override). */
  trustedOwnerUid?: number | null
}

/** Changes arrive as bursts (MDM agents write a temporary file and rename it): report each once. */
const DEBOUNCE_MS = 200
/** How often to look again for a policy folder that does not exist yet (a stat, so cheap). */
const REARM_MS = 1_000

export class PolicyFileSource implements ManagedSource {
  readonly location: string
  readonly #trustedOwnerUid: number | null

  constructor(path: string, { trustedOwnerUid = 0 }: PolicyFileOptions = {}) {
    this.location = path
    this.#trustedOwnerUid = trustedOwnerUid
  }

  async read(): Promise<SourceReadResult> {
    let handle: FileHandle
    try {
      handle = await open(this.location, 'r')
    } catch (error) {
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return { present: false }
      return this.#failure(`could not be opened (${errnoCode(error)})`)
    }
    try {
      // fstat on the open handle checks the very file that is read, not whatever the path names later.
      const stat = await handle.stat()
      if (!stat.isFile()) return this.#failure('is not a regular file')
      const trustProblem = this.#trustProblem(stat)
      if (trustProblem) return this.#failure(trustProblem)
      if (stat.size > MAX_PAYLOAD_BYTES) {
        return this.#failure(
          `is larger than ${MAX_PAYLOAD_BYTES / 1024 / 1024} MB and was not read`,
        )
      }
      return { present: true, payload: decodePayloadBytes(await handle.readFile()) }
    } catch (error) {
      if (error instanceof PayloadFormatError) return this.#failure(error.message)
      return this.#failure(`could not be read (${errnoCode(error)})`)
    } finally {
      await handle.close()
    }
  }

  watch(onChange: () => void): () => void {
    // The folder is watched, not the file: an atomic replace gives the path a new inode, which a
    // watch on the old file would never report.
    const fileName = basename(this.location)
    let timer: NodeJS.Timeout | undefined
    const changed = () => {
      clearTimeout(timer)
      timer = setTimeout(onChange, DEBOUNCE_MS)
    }
    let watcher: FSWatcher | undefined
    const arm = (): boolean => {
      try {
        watcher = watch(dirname(this.location), { persistent: false }, (_event, name) => {
          if (!name || name.toString() === fileName) changed()
        })
      } catch {
        return false
      }
      watcher.on('error', () => {
        watcher?.close()
        watcher = undefined
        changed()
      })
      return true
    }
    // A folder that does not exist yet (no profile installed) is looked for again until it does.
    const rearm = setInterval(() => {
      if (!watcher && arm()) changed()
    }, REARM_MS)
    rearm.unref()
    arm()
    return () => {
      clearInterval(rearm)
      clearTimeout(timer)
      watcher?.close()
      watcher = undefined
    }
  }

  #trustProblem(stat: { uid: number; mode: number }): string | undefined {
    if (process.platform === 'win32') return undefined
    if (this.#trustedOwnerUid !== null && stat.uid !== this.#trustedOwnerUid) {
      return `is not owned by root (owner uid ${stat.uid}); managed credentials are read only from administrator-owned files`
    }
    if ((stat.mode & 0o022) !== 0) {
      return 'can be changed by users other than its owner (group- or world-writable); managed credentials are read only from administrator-owned files'
    }
    return undefined
  }

  #failure(reason: string): SourceReadResult {
    return { present: true, error: `${this.location} ${reason}.` }
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code
}

function errnoCode(error: unknown): string {
  return (error instanceof Error && (error as NodeJS.ErrnoException).code) || 'unknown error'
}
