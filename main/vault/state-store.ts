// The app's metadata file: a JSON `config.json` in userData, opened with electron-store in the app's
// main process and with json-state-file.ts (conf's format, the engine electron-store wraps) in the
// CLI, which runs without Electron. Either way it is the same file and the same lock below. Tenants,
// credentials, the rotation journal, the vault's intents and the managed-import ledger live in ONE
// file so that a rotation's cutover is a single atomic write. Every change is a locked
// read-modify-write, so the app and the CLI writing at once never lose an update.
import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Options } from 'conf'
import type properLockfile from 'proper-lockfile'
import { z } from 'zod/mini'
import { credentialSchema, tenantSchema } from '../../preload/model'
import { lazyRequire } from '../lazy-require'
import { JsonStateFile } from './json-state-file'

export const STATE_SCHEMA_VERSION = 1

/** The lock is loaded with the first write (or leftover to clear), not by a run that only reads. */
const lockfile = lazyRequire<typeof properLockfile>('proper-lockfile')

const ledgerEntrySchema = z.object({
  revision: z.int(),
  importedAt: z.string(),
  credentialId: z.string(),
})

/** A keychain change the vault began and the records may not match yet (see vault-intents.ts). */
const vaultIntentSchema = z.object({
  kind: z.enum(['add', 'remove']),
  /** The process making the change, so a second process never undoes one still in flight. */
  ownerPid: z.int(),
  updatedAt: z.string(),
})
export type VaultIntent = z.infer<typeof vaultIntentSchema>

export const stateSchema = z.object({
  schemaVersion: z.literal(STATE_SCHEMA_VERSION),
  tenants: z.record(z.string(), tenantSchema),
  credentials: z.record(z.string(), credentialSchema),
  /** Rotation journals by run id; each is written before its step acts. Shape owned by main/rotation. */
  rotations: z.record(z.string(), z.unknown()),
  /** Credential id → its unfinished add or remove. Files written before intents existed have none. */
  vaultIntents: z._default(z.record(z.string(), vaultIntentSchema), {}),
  /** The tenant the admin last opened in the app, which it opens on next; null before the first. */
  openedTenantId: z._default(z.nullable(z.string()), null),
  managed: z.object({
    /** managed id → the revision imported, once per id + revision. */
    ledger: z.record(z.string(), ledgerEntrySchema),
    /** managed id → the revision the user dismissed. */
    dismissed: z.record(z.string(), z.int()),
  }),
})
export type AppState = z.infer<typeof stateSchema>

export function emptyState(): AppState {
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    tenants: {},
    credentials: {},
    rotations: {},
    vaultIntents: {},
    openedTenantId: null,
    managed: { ledger: {}, dismissed: {} },
  }
}

/**
 * Creates the data folder readable by its owner only. mkdir's mode does not change a folder that
 * is already there, so it is set again; a shared folder the user does not own (`--data-dir`) is
 * left as its owner made it.
 */
function makePrivateDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  if (process.platform === 'win32') return
  try {
    chmodSync(dataDir, 0o700)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error
  }
}

/** The settings the state file is opened with, whichever engine opens it (conf's options). */
export type StateFileSettings<T extends object = AppState> = Required<
  Pick<
    Options<T>,
    | 'cwd'
    | 'configFileMode'
    | 'clearInvalidConfig'
    | 'deserialize'
    | 'cache'
    | 'accessPropertiesByDotNotation'
  >
>

/** The state file as an engine opens it: the whole store, read and written at once. */
export interface StateFile<T extends object = AppState> {
  store: T
}

/**
 * Opens the state file. Both engines name it `config.json`. The Electron app passes electron-store
 * (main/app/electron-state-file.ts); the CLI and the tests use the JSON engine of conf's format.
 */
export type OpenStateFile = (settings: StateFileSettings) => StateFile

export const openJsonStateFile: OpenStateFile = (settings) => new JsonStateFile(settings)

export class StateFileError extends Error {
  override name = 'StateFileError'
}

/** The state file cannot be read as the app's state, whatever is wrong with it; left untouched. */
export class DamagedStateFileError extends StateFileError {
  override name = 'DamagedStateFileError'
  readonly code = 'state_damaged'

  constructor(path: string, options?: ErrorOptions) {
    super(
      `The credential list at ${path} is damaged and was left untouched. Restore it from a backup or move it aside.`,
      options,
    )
  }
}

/**
 * Reads the file's text as JSON. Anything but a JSON object is damage: conf would otherwise take
 * `null`, an array or a number for an empty store, and the next write would replace the file.
 */
function parseStateJson(text: string): AppState {
  const value: unknown = JSON.parse(text)
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SyntaxError('The state file does not hold a JSON object')
  }
  return value as AppState
}

/** The temporary files of conf's atomic writes (atomically's `<name>.tmp-<10 digits><6 hex>`). */
const TEMPORARY_FILE = /^config\.json\.tmp-\d{10}[a-f0-9]{6}$/

/** Reads and changes the app state. An interface so tests can inject write failures. */
export interface StateStore {
  readonly path: string
  read(): AppState
  /** Runs `change` on a fresh copy under the lock and writes the result in one atomic write. */
  update<T>(change: (state: AppState) => T): Promise<T>
}

export class FileStateStore implements StateStore {
  readonly #file: StateFile
  readonly #lockPath: string
  readonly #dir: string
  /** Both engines name the file config.json. */
  readonly path: string

  constructor(dataDir: string, open: OpenStateFile = openJsonStateFile) {
    makePrivateDir(dataDir)
    this.#dir = dataDir
    this.#lockPath = join(dataDir, 'config.lock')
    this.path = join(dataDir, 'config.json')
    this.#removeLeftoverTemporaries()
    // Both engines read the file as they open it.
    this.#file = this.#reading(() =>
      open({
        cwd: dataDir,
        configFileMode: 0o600,
        // A damaged file must be reported, never silently replaced by an empty one.
        clearInvalidConfig: false,
        deserialize: parseStateJson,
        cache: false,
        accessPropertiesByDotNotation: false,
      }),
    )
  }

  read(): AppState {
    const raw: unknown = this.#reading(() => this.#file.store)
    if (raw && typeof raw === 'object' && Object.keys(raw).length === 0) return emptyState()
    const parsed = stateSchema.safeParse(raw)
    if (!parsed.success) throw new DamagedStateFileError(this.path)
    return parsed.data
  }

  /** Runs a read of the file, reporting text that is not a JSON object as a damaged file. */
  #reading<T>(read: () => T): T {
    try {
      return read()
    } catch (error) {
      if (error instanceof SyntaxError) throw new DamagedStateFileError(this.path, { cause: error })
      throw error
    }
  }

  /**
   * A write killed between its temporary file and the rename leaves the temporary file behind.
   * They are removed under the lock, so never while a write of another process still needs one;
   * when the lock is held, the next start removes them. Most starts find none and take no lock.
   */
  #removeLeftoverTemporaries(): void {
    if (!readdirSync(this.#dir).some((name) => TEMPORARY_FILE.test(name))) return
    let release: () => void
    try {
      release = lockfile().lockSync(this.#dir, { lockfilePath: this.#lockPath, stale: 15_000 })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return
      throw error
    }
    try {
      for (const name of readdirSync(this.#dir)) {
        if (TEMPORARY_FILE.test(name)) rmSync(join(this.#dir, name), { force: true })
      }
    } finally {
      release()
    }
  }

  async update<T>(change: (state: AppState) => T): Promise<T> {
    const release = await lockfile().lock(this.#dir, {
      lockfilePath: this.#lockPath,
      stale: 15_000,
      retries: { retries: 200, minTimeout: 10, maxTimeout: 100, factor: 1.3 },
    })
    try {
      const state = this.read()
      const result = change(state)
      this.#file.store = stateSchema.parse(state)
      return result
    } finally {
      await release()
    }
  }
}
