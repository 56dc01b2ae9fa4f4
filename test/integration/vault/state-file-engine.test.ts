// The CLI's state file engine (json-state-file.ts) against conf, the engine electron-store runs in
// the app: each reads what the other writes, byte for byte the same file, with the same mode, and
// a write is whole or not at all.
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Conf from 'conf'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JsonStateFile } from '../../../main/vault/json-state-file'
import {
  emptyState,
  FileStateStore,
  type AppState,
  type StateFileSettings,
} from '../../../main/vault/state-store'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'axm-state-engine-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** The settings FileStateStore opens the file with (a JSON object, whatever the engine). */
const settings = (cwd: string): StateFileSettings => ({
  cwd,
  configFileMode: 0o600,
  clearInvalidConfig: false,
  deserialize: (text) => JSON.parse(text) as AppState,
  cache: false,
  accessPropertiesByDotNotation: false,
})

function someState(): AppState {
  const state = emptyState()
  state.managed.dismissed['com.example.entry'] = 3
  state.rotations.run = { note: 'naïve — “quoted”\nline\ttab' }
  return state
}

describe('the JSON engine and conf', () => {
  it('write the same bytes for the same state, each reading what the other wrote', () => {
    const ours = join(dir, 'ours')
    const theirs = join(dir, 'theirs')
    new JsonStateFile(settings(ours)).store = someState()
    new Conf<AppState>(settings(theirs)).store = someState()
    const written = readFileSync(join(ours, 'config.json'), 'utf8')
    expect(written).toBe(readFileSync(join(theirs, 'config.json'), 'utf8'))
    expect(written).toContain('\n\t"schemaVersion": 1')

    expect(new Conf<AppState>(settings(ours)).store).toEqual(someState())
    expect(new JsonStateFile(settings(theirs)).store).toEqual(someState())
  })

  it('give the file mode 0600, also over a file that had wider permissions', () => {
    const file = join(dir, 'config.json')
    writeFileSync(file, JSON.stringify(emptyState()))
    chmodSync(file, 0o644)
    new JsonStateFile(settings(dir)).store = someState()
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('read a missing file as an empty store, as conf does, and write nothing', () => {
    const cwd = join(dir, 'new')
    expect(new JsonStateFile(settings(cwd)).store).toEqual({})
    expect(new Conf<AppState>(settings(cwd)).store).toEqual({})
    expect(readdirSync(cwd)).toEqual([])
  })

  it('write through a symlink at config.json to the file it names, as conf does', () => {
    const real = join(dir, 'elsewhere.json')
    writeFileSync(real, JSON.stringify(emptyState()))
    symlinkSync(real, join(dir, 'config.json'))
    new JsonStateFile(settings(dir)).store = someState()
    expect(lstatSync(join(dir, 'config.json')).isSymbolicLink()).toBe(true)
    expect(JSON.parse(readFileSync(real, 'utf8'))).toEqual(someState())
  })

  it('leave the file as it was, and no temporary file, when a write cannot finish', () => {
    const file = join(dir, 'config.json')
    writeFileSync(file, JSON.stringify(emptyState()))
    const engine = new JsonStateFile(settings(dir))
    // The rename over config.json fails: a folder now stands where the file was.
    rmSync(file)
    mkdirSync(join(file, 'blocker'), { recursive: true })
    expect(() => (engine.store = someState())).toThrow()
    expect(readdirSync(dir)).toEqual(['config.json'])
  })

  it('is what FileStateStore opens by default, and what conf (under electron-store) reads back', async () => {
    const store = new FileStateStore(dir)
    await store.update((state) => void (state.managed.dismissed.x = 1))
    expect(new Conf<AppState>(settings(dir)).store.managed.dismissed).toEqual({ x: 1 })
  })
})
