import { chmodSync, chownSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { PolicyFileSource } from '../../../main/managed/file-source'
import { MAX_PAYLOAD_BYTES } from '../../../main/managed/payload-bytes'
import { parseManagedPayload } from '../../../main/managed/payload'
import { platformSources, readFirstPresent } from '../../../main/managed/sources'
import { plistData, writePlist } from '../../support/plist'
import {
  entryFor,
  makeEntryKey,
  pkcs12Of,
  tempDir,
  type EntryKey,
} from '../../unit/managed/fixtures'

let dir: string
let key: EntryKey
let p12: Buffer
const myUid = process.getuid?.() ?? 0

beforeAll(() => {
  dir = tempDir()
  key = makeEntryKey(dir)
  p12 = pkcs12Of(key)
})

/** A source that trusts files owned by this test's user, as the real ones trust root. */
const ownedSource = (path: string) => new PolicyFileSource(path, { trustedOwnerUid: myUid })

async function entriesIn(path: string) {
  const result = await ownedSource(path).read()
  if (!('payload' in result)) throw new Error(`not read: ${JSON.stringify(result)}`)
  return parseManagedPayload(result.payload)
}

describe('PolicyFileSource', () => {
  it.each(['xml', 'binary'] as const)(
    'reads a %s plist written by plistlib, PKCS#12 as <data>',
    async (format) => {
      const path = join(dir, `managed-${format}.plist`)
      writePlist(
        path,
        {
          ManagedCredentials: [
            entryFor('pem', key),
            entryFor('p12', key, {
              privateKey: undefined,
              privateKeyPKCS12: plistData(p12),
              revision: 3,
            }),
          ],
        },
        format,
      )
      const { entries, problems } = await entriesIn(path)
      expect(problems).toEqual([])
      expect(entries.map((entry) => [entry.id, entry.keyFormat, entry.revision])).toEqual([
        ['pem', 'encrypted-pkcs8', 1],
        ['p12', 'pkcs12', 3],
      ])
      expect(Buffer.from(entries[1]?.keyMaterial ?? '').equals(p12)).toBe(true)
      expect(entries[0]?.keyMaterial).toBe(key.encryptedPem)
    },
  )

  it('reads JSON with PKCS#12 as base64', async () => {
    const path = join(dir, 'managed.json')
    const entry = entryFor('j', key, {
      privateKey: undefined,
      privateKeyPKCS12: p12.toString('base64'),
    })
    writeFileSync(path, JSON.stringify({ ManagedCredentials: [entry] }))
    const { entries } = await entriesIn(path)
    expect(Buffer.from(entries[0]?.keyMaterial ?? '').equals(p12)).toBe(true)
  })

  it('answers “not present” for a missing file', async () => {
    expect(await ownedSource(join(dir, 'nothing.plist')).read()).toEqual({ present: false })
    expect(await ownedSource(join(dir, 'no-dir', 'x.plist')).read()).toEqual({ present: false })
  })

  it.each(['xml', 'binary'] as const)(
    'reports a truncated %s plist instead of reading part of it',
    async (format) => {
      const path = join(dir, `cut-${format}.plist`)
      writePlist(path, { ManagedCredentials: [entryFor('a', key), entryFor('b', key)] }, format)
      truncateSync(path, 300)
      const result = await ownedSource(path).read()
      expect(result).toEqual({
        present: true,
        error: expect.stringContaining('truncated or damaged'),
      })
    },
  )

  it('reports a file larger than the limit without reading it', async () => {
    const path = join(dir, 'huge.json')
    writeFileSync(path, '{')
    truncateSync(path, MAX_PAYLOAD_BYTES + 1)
    const result = await ownedSource(path).read()
    expect(result).toEqual({ present: true, error: expect.stringContaining('is larger than 5 MB') })
  })

  it('refuses a file that others may write', async () => {
    const path = join(dir, 'shared.json')
    writeFileSync(path, JSON.stringify({ ManagedCredentials: [] }))
    chmodSync(path, 0o664)
    expect(await ownedSource(path).read()).toEqual({
      present: true,
      error: expect.stringContaining('group- or world-writable'),
    })
    chmodSync(path, 0o644)
    expect(await ownedSource(path).read()).toEqual({
      present: true,
      payload: { ManagedCredentials: [] },
    })
  })

  it('refuses a file not owned by the trusted owner, unless the owner check is off', async () => {
    const path = join(dir, 'owned.json')
    writeFileSync(path, JSON.stringify({ ManagedCredentials: [] }), { mode: 0o644 })
    const strict = new PolicyFileSource(path, { trustedOwnerUid: myUid + 1 })
    expect(await strict.read()).toEqual({
      present: true,
      error: expect.stringContaining('is not owned by root'),
    })
    const override = new PolicyFileSource(path, { trustedOwnerUid: null })
    expect(await override.read()).toMatchObject({
      present: true,
      payload: { ManagedCredentials: [] },
    })
  })

  it('trusts root-owned files by default', async () => {
    const path = join(dir, 'root.json')
    writeFileSync(path, JSON.stringify({ ManagedCredentials: [] }), { mode: 0o644 })
    // The machine's tests run as root (CI too); elsewhere the file belongs to the user and is refused.
    if (myUid === 0) chownSync(path, 0, 0)
    const expected =
      myUid === 0 ? { payload: { ManagedCredentials: [] } } : { error: expect.any(String) }
    expect(await new PolicyFileSource(path).read()).toEqual({ present: true, ...expected })
  })

  it('refuses a folder in place of the file', async () => {
    expect(await ownedSource(dir).read()).toEqual({
      present: true,
      error: expect.stringContaining('not a regular file'),
    })
  })

  it('reports the change of a file replaced atomically', async () => {
    const path = join(dir, 'watched.plist')
    const source = ownedSource(path)
    let stop = () => {}
    const changed = new Promise<void>((resolve) => {
      stop = source.watch(resolve)
    })
    const temp = join(dir, '.watched.tmp')
    writePlist(temp, { ManagedCredentials: [] })
    // The way MDM agents write: a temporary file renamed over the real one.
    const { renameSync } = await import('node:fs')
    renameSync(temp, path)
    await expect(withTimeout(changed, 5_000)).resolves.toBeUndefined()
    stop()
  })
})

describe('platformSources', () => {
  it('reads AXM_MANAGED_PREFS instead of the platform sources outside a packaged build', () => {
    const sources = platformSources({
      packaged: false,
      env: { AXM_MANAGED_PREFS: '/tmp/x.plist' },
      platform: 'darwin',
    })
    expect(sources.map((source) => source.location)).toEqual(['/tmp/x.plist'])
  })

  it('ignores AXM_MANAGED_PREFS in a packaged build', () => {
    const sources = platformSources({
      packaged: true,
      env: { AXM_MANAGED_PREFS: '/tmp/x.plist' },
      platform: 'linux',
    })
    expect(sources.map((source) => source.location)).toEqual([
      '/etc/axm-credential-manager/managed.json',
      '/etc/axm-credential-manager/managed.plist',
    ])
  })

  it('lists the user’s managed preferences before the computer’s on macOS', () => {
    const sources = platformSources({ packaged: true, env: {}, platform: 'darwin', user: 'alex' })
    expect(sources.map((source) => source.location)).toEqual([
      '/Library/Managed Preferences/alex/com.axmcredentials.manager.plist',
      '/Library/Managed Preferences/com.axmcredentials.manager.plist',
    ])
  })

  it('lists machine policy before user policy on Windows', () => {
    const sources = platformSources({ packaged: true, env: {}, platform: 'win32' })
    expect(sources.map((source) => source.location)).toEqual([
      'HKLM\\SOFTWARE\\Policies\\AxMCredentialManager\\ManagedCredentials',
      'HKCU\\SOFTWARE\\Policies\\AxMCredentialManager\\ManagedCredentials',
    ])
  })
})

describe('readFirstPresent', () => {
  it('uses the first present source, even when it cannot be read', async () => {
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{"ManagedCredentials": [', { mode: 0o644 })
    const good = join(dir, 'good.json')
    writeFileSync(good, JSON.stringify({ ManagedCredentials: [] }), { mode: 0o644 })
    const missing = ownedSource(join(dir, 'missing.json'))
    const first = await readFirstPresent([missing, ownedSource(broken), ownedSource(good)])
    expect(first.location).toBe(broken)
    expect(first.result).toEqual({ present: true, error: expect.stringContaining('JSON') })
    expect((await readFirstPresent([missing])).result).toEqual({ present: false })
  })
})

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no change within ${ms} ms`)), ms).unref(),
    ),
  ])
}
