// The state file's engine outside Electron (the CLI, the tests, the e2e harness): the very file
// and format electron-store (through conf, its engine) reads and writes in the app, without conf's
// start-up cost (ajv, semver and a dozen more modules, most of `axm-credentials list`'s time).
// What conf does with the settings state-store.ts passes, and no more: the file is tab-indented
// JSON; a missing file reads as an empty store; each write goes to `config.json.tmp-<10 digits
// of the time><6 hex>` (atomically's name, which state-store.ts clears after a killed write),
// is flushed, given the mode and renamed over the file, or over the file a symlink there names.
// The lock and the validation are state-store.ts's, whichever engine opens the file.
import type * as Crypto from 'node:crypto'
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { lazyRequire } from '../lazy-require'
import type { StateFile, StateFileSettings } from './state-store'

/** Only a write names a temporary file; a run that only reads (`list`) never loads node:crypto. */
const crypto = lazyRequire<typeof Crypto>('node:crypto')

/** Windows refuses a rename for a moment while a scanner holds the file; atomically retries 1 s. */
const RENAME_RETRY_MS = 1_000
const RENAME_BUSY = new Set(['EPERM', 'EACCES', 'EBUSY'])

export class JsonStateFile<T extends object> implements StateFile<T> {
  readonly path: string
  readonly #deserialize: (text: string) => T
  /** conf takes the umask off the mode it is given, as the kernel does for a file it creates. */
  readonly #mode: number

  constructor(settings: StateFileSettings<T>) {
    this.path = join(settings.cwd, 'config.json')
    this.#deserialize = settings.deserialize
    this.#mode = settings.configFileMode & ~process.umask()
    // conf reads the file as it opens it, so a damaged one is reported at once.
    void this.store
  }

  get store(): T {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      mkdirSync(dirname(this.path), { recursive: true })
      return {} as T
    }
    return this.#deserialize(text)
  }

  set store(value: T) {
    this.#write(JSON.stringify(value, undefined, '\t'))
  }

  #write(text: string): void {
    const target = this.#target()
    const temporary = temporaryPath(target)
    mkdirSync(dirname(target), { recursive: true })
    try {
      const fd = openSync(temporary, 'w', this.#mode)
      try {
        writeFileSync(fd, text, 'utf8')
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      chmodSync(temporary, this.#mode)
      renameRetrying(temporary, target)
    } catch (error) {
      rmSync(temporary, { force: true })
      throw error
    }
  }

  /** The file a write replaces: the config path, or what a symlink there points at. */
  #target(): string {
    try {
      return realpathSync(this.path)
    } catch {
      return this.path
    }
  }
}

/** atomically's name: `<file>.tmp-` with the time's last 10 digits and 6 random hex digits. */
const temporaryPath = (target: string): string =>
  `${target}.tmp-${Date.now().toString().slice(-10)}${crypto().randomInt(0x1000000).toString(16).padStart(6, '0')}`

function renameRetrying(from: string, to: string): void {
  const giveUp = Date.now() + RENAME_RETRY_MS
  for (;;) {
    try {
      renameSync(from, to)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? ''
      if (!RENAME_BUSY.has(code) || Date.now() > giveUp) throw error
      // The write is synchronous (as conf's is), so it waits by blocking, 20 ms at a time.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
    }
  }
}
