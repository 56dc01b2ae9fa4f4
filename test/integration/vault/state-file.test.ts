// The state file as it is found on disk: whatever is wrong with it, the app and the CLI say it is
// damaged (the message that says to restore it, with a code the renderer can act on) and leave it
// as it is; what a killed write left behind is cleared at start.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import lockfile from 'proper-lockfile'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toAppError } from '../../../main/ipc/app-error'
import { DamagedStateFileError, emptyState, FileStateStore } from '../../../main/vault/state-store'
import { runCliProcess } from '../../support/cli'
import { rejectionOf } from '../../support/rejection'

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'axm-state-file-'))
  file = join(dir, 'config.json')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const designed = (path: string) =>
  `The credential list at ${path} is damaged and was left untouched. Restore it from a backup or move it aside.`

const DAMAGED: Record<string, string> = {
  empty: '',
  'not JSON': '{ "schemaVersion": 1,',
  'binary garbage': '\u0000\u0001\u00ff\u0002',
  null: 'null',
  'an array': '[]',
  'a number': '42',
  'a string': '"config"',
  'a later schema': JSON.stringify({ ...emptyState(), schemaVersion: 2 }),
  'a wrong field': JSON.stringify({ ...emptyState(), tenants: [] }),
}

describe('a damaged state file', () => {
  it.each(Object.entries(DAMAGED))(
    '%s: the designed message, code state_damaged, file untouched',
    async (_, text) => {
      writeFileSync(file, text)
      const error = await rejectionOf(
        (async () => new FileStateStore(dir).read())(),
        DamagedStateFileError,
      )
      expect(toAppError(error)).toEqual({ code: 'state_damaged', message: designed(file) })
      expect(readFileSync(file, 'utf8')).toBe(text)
    },
  )

  it('that becomes damaged while the app runs: reads and changes say so, and write nothing', async () => {
    const store = new FileStateStore(dir)
    await store.update((state) => void (state.managed.dismissed.x = 1))
    writeFileSync(file, '{ truncated')
    expect(() => store.read()).toThrow(designed(file))
    await expect(store.update(() => undefined)).rejects.toThrow(designed(file))
    expect(readFileSync(file, 'utf8')).toBe('{ truncated')
  })

  it('the CLI prints the designed message alone, no stack trace', () => {
    writeFileSync(file, '{ not json')
    const run = runCliProcess(['list', '--data-dir', dir])
    expect(run.status).toBe(1)
    expect(run.stderr).toBe(`axm-credentials: ${designed(file)}\n`)
  })
})

describe('temporary files of a killed write', () => {
  const leftover = 'config.json.tmp-1764579600a1b2c3'

  it('are removed at start; other files stay', () => {
    writeFileSync(file, JSON.stringify(emptyState()))
    writeFileSync(join(dir, leftover), '{ half')
    writeFileSync(join(dir, 'config.json.tmp-notes'), 'mine')
    new FileStateStore(dir)
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'config.json.tmp-notes'])
  })

  it('are kept while another process holds the lock: they may be its write in progress', async () => {
    new FileStateStore(dir)
    writeFileSync(join(dir, leftover), '{ in progress')
    const release = await lockfile.lock(dir, { lockfilePath: join(dir, 'config.lock') })
    try {
      new FileStateStore(dir)
      expect(readdirSync(dir)).toContain(leftover)
    } finally {
      await release()
    }
    new FileStateStore(dir)
    expect(readdirSync(dir)).not.toContain(leftover)
  })
})
