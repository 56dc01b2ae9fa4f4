// Files the user chose in main's file dialog. The renderer only ever holds an opaque token for
// them, so a key file's bytes never travel to the renderer and the renderer cannot name a path.
import { randomUUID } from 'node:crypto'
import { basename } from 'node:path'
import { readKeyFileBytes, tooLargeForAKey } from '../vault/key-file-bytes'

/** A token names one choice the user just made, not a standing permission to read the file. */
const TOKEN_LIFETIME_MS = 10 * 60 * 1000

export class PickedFileError extends Error {
  override name = 'PickedFileError'
  readonly code = 'invalid_input'
}

export class PickedFiles {
  readonly #picked = new Map<string, { path: string; at: number }>()
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  register(path: string): { token: string; fileName: string } {
    this.#forgetExpired()
    const token = randomUUID()
    this.#picked.set(token, { path, at: this.#now() })
    return { token, fileName: basename(path) }
  }

  async read(token: string): Promise<{ bytes: Buffer; fileName: string }> {
    this.#forgetExpired()
    const path = this.#picked.get(token)?.path
    if (!path) throw new PickedFileError('The chosen file is no longer available. Choose it again.')
    const name = basename(path)
    const read = readKeyFileBytes(path)
    if (read.ok) return { bytes: read.bytes, fileName: name }
    throw new PickedFileError(
      read.reason === 'too_large'
        ? tooLargeForAKey(name)
        : `${name} could not be read (it was moved, or is not readable).`,
    )
  }

  #forgetExpired(): void {
    const oldest = this.#now() - TOKEN_LIFETIME_MS
    for (const [token, { at }] of this.#picked) if (at < oldest) this.#picked.delete(token)
  }
}
