// A locked keychain (gnome-keyring's collection locked over D-Bus) answers reads with "no such
// item" and deletes with "nothing deleted", like an unlocked one without the item. Nothing may take
// that for the truth: a remove is refused before it changes anything, one whose keychain locks
// midway keeps its intent until recovery has deleted the key, and Test Connection says the keychain
// is locked instead of calling the key missing. The scenario runs in a keyring of its own
// (test/support/locked-keychain-child.ts), since locking the shared one would disturb other tests.
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { makeP256Key } from '../../support/openssl-keys'

const root = join(import.meta.dirname, '..', '..', '..')
const LOCKED = /^The system keychain is locked\. Nothing was changed\./
let dir: string
let phases: Record<string, unknown>[]

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'axm-locked-'))
  const dataDir = join(dir, 'data')
  mkdirSync(dataDir)
  const key = makeP256Key(dir)
  const args = [dataDir, `AxM locked test ${randomUUID()}`, key].map((arg) => `'${arg}'`).join(' ')
  const phase = (name: string) =>
    `node --import tsx test/support/locked-keychain-child.ts ${name} ${args}`
  const env = { ...process.env }
  delete env.AXM_IN_KEYRING_SESSION
  const run = spawnSync(
    'sh',
    [
      'test/support/with-keyring.sh',
      'sh',
      '-c',
      `${phase('locked')} && ${phase('midway')} && ${phase('recover')}`,
    ],
    { cwd: root, env, encoding: 'utf8' },
  )
  expect(run.status, run.stderr).toBe(0)
  phases = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  expect(phases).toHaveLength(3)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a remove on a locked keychain is refused and changes nothing', () => {
  const [locked] = phases
  expect(locked).toMatchObject({
    lockedAtStart: true,
    remove: { code: 'keychain_unavailable', message: expect.stringMatching(LOCKED) },
    // The record, no intent, and the key still in the (locked) keychain.
    afterRemove: { listed: [locked!.credentialId], intents: {}, items: [0, 1] },
  })
})

test('Test Connection on a locked keychain says it is locked, not that the key is missing', () => {
  expect(phases[0]).toMatchObject({
    testConnection: { code: 'keychain_unavailable', message: expect.stringMatching(LOCKED) },
    lastCheck: null,
  })
})

test('an add on a locked keychain leaves no intent behind', () => {
  expect(phases[0]).toMatchObject({
    add: { code: 'keychain_unavailable' },
    afterAdd: { credentials: 1, intents: {} },
  })
})

test('a remove whose keychain locks midway keeps its intent until the key is confirmed gone', () => {
  const [locked, midway, recovered] = phases
  const id = locked!.credentialId
  expect(midway).toMatchObject({
    remove: {
      code: 'keychain_unavailable',
      message: expect.stringMatching(/Unlock your keychain/),
    },
    listed: [],
    intents: [id],
    items: [0, 1],
    recover: [{ credentialId: id, action: 'deferred', message: expect.stringMatching(LOCKED) }],
  })
  expect(recovered).toEqual({
    recover: [{ credentialId: id, action: 'finished' }],
    intents: {},
    items: [0, 0],
    accounts: [],
  })
})
