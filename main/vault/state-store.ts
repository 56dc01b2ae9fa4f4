// The app's metadata file: a JSON `config.json` in userData, opened with electron-store in the app's
// main process and with conf (the engine electron-store wraps) in the CLI, which runs without
// Electron. Either way it is the same file, the same settings and the same lock below. Tenants,
// credentials, the rotation journal, the vault's intents and the managed-import ledger live in ONE
// file so that a rotation's cutover is a single atomic write. Every change is a locked
// read-modify-write, so the app and the CLI writing at once never lose an update.
import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Conf, { type Options } from 'conf'
import lockfile from 'proper-lockfile'
import { z } from 'zod'
import { credentialSchema, tenantSchema } from '../../preload/model'

export const STATE_SCHEMA_VERSION = 1

const ledgerEntrySchema = z.object({
  revision: z.number().int(),
  importedAt: z.string(),
  credentialId: z.string(),
})

/** A keychain change the vault began and the records may not match yet (see vault-intents.ts). */
const vaultIntentSchema = z.object({
  kind: z.enum(['add', 'remove']),
  /** The process making the change, so a second process never undoes one still in flight. */
  ownerPid: z.number().int(),
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
  vaultIntents: z.record(z.string(), vaultIntentSchema).default({}),
  managed: z.object({
    /** managed id → the revision imported, once per id + revision. */
    ledger: z.record(z.string(), ledgerEntrySchema),
    /** managed id → the revision the user dismissed. */
    dismissed: z.record(z.string(), z.number().int()),
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

/** The settings the state file is opened with, whichever engine opens it. */
export type StateFileSettings = Pick<
  Options<AppState>,
  'cwd' | 'configFileMode' | 'clearInvalidConfig' | 'cache' | 'accessPropertiesByDotNotation'
>

/**
 * Opens the state file. Both engines name it `config.json` by default. The Electron app passes
 * electron-store (main/app/electron-state-file.ts); the CLI and the tests use conf.
 */
export type OpenStateFile = (settings: StateFileSettings) => Conf<AppState>

export const openWithConf: OpenStateFile = (settings) => new Conf<AppState>(settings)

export class StateFileError extends Error {
  override name = 'StateFileError'
}

/** Reads and changes the app state. An interface so tests can inject write failures. */
export interface StateStore {
  readonly path: string
  read(): AppState
  /** Runs `change` on a fresh copy under the lock and writes the result in one atomic write. */
  update<T>(change: (state: AppState) => T): Promise<T>
}

export class FileStateStore implements StateStore {
  readonly #conf: Conf<AppState>
  readonly #lockPath: string
  readonly #dir: string

  constructor(dataDir: string, open: OpenStateFile = openWithConf) {
    makePrivateDir(dataDir)
    this.#dir = dataDir
    this.#lockPath = join(dataDir, 'config.lock')
    this.#conf = open({
      cwd: dataDir,
      configFileMode: 0o600,
      // A damaged file must be reported, never silently replaced by an empty one.
      clearInvalidConfig: false,
      cache: false,
      accessPropertiesByDotNotation: false,
    })
  }

  get path(): string {
    return this.#conf.path
  }

  read(): AppState {
    const raw: unknown = this.#conf.store
    if (raw && typeof raw === 'object' && Object.keys(raw).length === 0) return emptyState()
    const parsed = stateSchema.safeParse(raw)
    if (!parsed.success) {
      throw new StateFileError(
        `The credential list at ${this.path} is damaged and was left untouched. Restore it from a backup or move it aside.`,
      )
    }
    return parsed.data
  }

  async update<T>(change: (state: AppState) => T): Promise<T> {
    const release = await lockfile.lock(this.#dir, {
      lockfilePath: this.#lockPath,
      stale: 15_000,
      retries: { retries: 200, minTimeout: 10, maxTimeout: 100, factor: 1.3 },
    })
    try {
      const state = this.read()
      const result = change(state)
      this.#conf.store = stateSchema.parse(state)
      return result
    } finally {
      await release()
    }
  }
}
