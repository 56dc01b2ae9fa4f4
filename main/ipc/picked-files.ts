// Files the user chose in main's file dialog. The renderer only ever holds an opaque token for
// them, so a key file's bytes never travel to the renderer and the renderer cannot name a path.
import { randomUUID } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'

const MAX_KEY_FILE_BYTES = 1024 * 1024

export class PickedFileError extends Error {
  override name = 'PickedFileError'
  readonly code = 'invalid_input'
}

export class PickedFiles {
  readonly #paths = new Map<string, string>()

  register(path: string): { token: string; fileName: string } {
    const token = randomUUID()
    this.#paths.set(token, path)
    return { token, fileName: basename(path) }
  }

  async read(token: string): Promise<{ bytes: Buffer; fileName: string }> {
    const path = this.#paths.get(token)
    if (!path) throw new PickedFileError('The chosen file is no longer available. Choose it again.')
    const info = await stat(path)
    if (info.size > MAX_KEY_FILE_BYTES) {
      throw new PickedFileError(`${basename(path)} is larger than 1 MB; it is not a private key.`)
    }
    return { bytes: await readFile(path), fileName: basename(path) }
  }
}
