import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseManagedPayload } from '../../../main/managed/payload'
import {
  businessClientId,
  entryFor,
  makeEntryKey,
  pkcs12Of,
  schoolClientId,
  tempDir,
  type EntryKey,
} from './fixtures'

let key: EntryKey
let p12: Buffer

beforeAll(() => {
  key = makeEntryKey(tempDir())
  p12 = pkcs12Of(key)
})

const payload = (...entries: unknown[]) => ({ ManagedCredentials: entries })

describe('parseManagedPayload', () => {
  it('reads a valid entry with defaults for scope and revision', () => {
    const raw = entryFor('acme', key, { clientId: schoolClientId() })
    const { entries, problems } = parseManagedPayload(payload(raw))
    expect(problems).toEqual([])
    expect(entries).toEqual([
      {
        id: 'acme',
        name: 'Tenant acme',
        clientId: raw.clientId,
        keyId: raw.keyId,
        scope: 'school',
        revision: 1,
        keyFormat: 'encrypted-pkcs8',
        keyMaterial: key.encryptedPem,
      },
    ])
  })

  it('takes PKCS#12 as plist data (bytes) and as a base64 string (JSON)', () => {
    const { entries, problems } = parseManagedPayload(
      payload(
        entryFor('bytes', key, { privateKey: undefined, privateKeyPKCS12: new Uint8Array(p12) }),
        entryFor('base64', key, {
          privateKey: undefined,
          privateKeyPKCS12: p12.toString('base64'),
        }),
      ),
    )
    expect(problems).toEqual([])
    expect(entries.map((entry) => entry.keyFormat)).toEqual(['pkcs12', 'pkcs12'])
    for (const entry of entries) expect(Buffer.from(entry.keyMaterial).equals(p12)).toBe(true)
  })

  it('keeps revision and a fingerprint normalised to lowercase', () => {
    const { entries } = parseManagedPayload(
      payload(
        entryFor('a', key, { revision: 4, publicKeyFingerprint: key.fingerprint.toUpperCase() }),
      ),
    )
    expect(entries[0]?.revision).toBe(4)
    expect(entries[0]?.publicKeyFingerprint).toBe(key.fingerprint)
  })

  it('reports each bad entry and still offers the good ones', () => {
    const { entries, problems } = parseManagedPayload(
      payload(
        entryFor('good-1', key),
        entryFor('no-client', key, { clientId: undefined }),
        'not a dictionary',
        entryFor('good-2', key),
      ),
    )
    expect(entries.map((entry) => entry.id)).toEqual(['good-1', 'good-2'])
    expect(problems).toEqual([
      { index: 1, entryId: 'no-client', field: 'clientId', message: 'clientId is required' },
      { index: 2, message: 'The entry is not a dictionary.' },
    ])
  })

  it.each([
    ['id', { id: undefined }, 'id is required'],
    ['name', { name: undefined }, 'name is required'],
    ['keyId', { keyId: 'not-a-uuid' }, 'Key ID is a UUID'],
    ['clientId', { clientId: 'APPLE.123' }, 'Client ID looks like'],
    ['scope', { scope: 'enterprise' }, 'scope must be business or school'],
    ['scope', { scope: 'school', clientId: businessClientId() }, 'issued for business'],
    ['revision', { revision: 0 }, 'revision starts at 1'],
    ['revision', { revision: 1.5 }, 'whole number'],
    ['publicKeyFingerprint', { publicKeyFingerprint: 'abc' }, '64 hex digits'],
    ['privateKey', { privateKey: undefined }, 'privateKey or privateKeyPKCS12 is required'],
    ['privateKey', { privateKeyPKCS12: 'AAAA' }, 'not both'],
    ['privateKey', { privateKey: 'hello' }, 'BEGIN ENCRYPTED PRIVATE KEY'],
    ['privateKeyPKCS12', { privateKey: undefined, privateKeyPKCS12: '***' }, 'not valid base64'],
  ])('refuses a bad %s field (%j)', (field, overrides, message) => {
    const { entries, problems } = parseManagedPayload(payload(entryFor('x', key, overrides)))
    expect(entries).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ index: 0, field })
    expect(problems[0]?.message).toContain(message)
  })

  it('refuses an unencrypted private key, which the passphrase would not protect in transit', () => {
    const { problems } = parseManagedPayload(
      payload(
        entryFor('plain', key, {
          privateKey: readFileSync(key.path, 'utf8'),
        }),
      ),
    )
    expect(problems[0]).toMatchObject({ field: 'privateKey' })
    expect(problems[0]?.message).toContain('not encrypted')
  })

  it.each([
    ['a NUL', 'Acme\u0000'],
    ['an escape sequence', '\u001b[2J\u001b[31mAcme'],
    ['a line break', 'Acme\nFAKE line'],
    ['a C1 control', 'Acme\u009b'],
    ['a lone surrogate', 'Acme \ud800'],
    ['a right-to-left override', 'Acme \u202egnp.exe'],
    ['a bidi isolate', 'Acme \u2067x'],
  ])('refuses a name or an id with %s', (_what, text) => {
    const { entries, problems } = parseManagedPayload(
      payload(entryFor('a', key, { name: text }), { ...entryFor('b', key), id: text }),
    )
    expect(entries).toEqual([])
    expect(problems).toEqual([
      expect.objectContaining({
        index: 0,
        field: 'name',
        message: expect.stringMatching(/control characters/),
      }),
      expect.objectContaining({
        index: 1,
        field: 'id',
        message: expect.stringMatching(/control characters/),
      }),
    ])
  })

  it('keeps names in any script, with emoji and right-to-left text', () => {
    const name = 'מכללה צפון 👩‍💻 Ærø'
    const { entries } = parseManagedPayload(payload(entryFor('a', key, { name })))
    expect(entries[0]?.name).toBe(name)
  })

  it('reports a duplicate id on the later entry and offers the first', () => {
    const first = entryFor('dup', key, { name: 'First' })
    const { entries, problems } = parseManagedPayload(
      payload(first, entryFor('dup', key, { name: 'Second' })),
    )
    expect(entries.map((entry) => entry.name)).toEqual(['First'])
    expect(problems).toEqual([expect.objectContaining({ index: 1, entryId: 'dup', field: 'id' })])
  })

  it('reads the domain payload out of a configuration profile', () => {
    const profile = {
      PayloadType: 'Configuration',
      PayloadContent: [
        { PayloadType: 'com.apple.wifi.managed' },
        { PayloadType: 'com.axmcredentials.manager', ManagedCredentials: [entryFor('p', key)] },
      ],
    }
    expect(parseManagedPayload(profile).entries.map((entry) => entry.id)).toEqual(['p'])
  })

  it.each([
    ['a root that is not a dictionary', ['x'], 'not a dictionary'],
    ['a missing ManagedCredentials key', { Other: 1 }, 'no ManagedCredentials key'],
    ['ManagedCredentials that is not an array', { ManagedCredentials: 'x' }, 'must be an array'],
    [
      'a profile without our payload',
      { PayloadType: 'Configuration', PayloadContent: [] },
      'no payload of type',
    ],
  ])('reports %s as a problem with the whole source', (_what, root, message) => {
    const { entries, problems } = parseManagedPayload(root)
    expect(entries).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.index).toBeNull()
    expect(problems[0]?.message).toContain(message)
  })

  it('never puts key material into a problem message', () => {
    const { problems } = parseManagedPayload(payload(entryFor('x', key, { keyId: 'bad' })))
    expect(JSON.stringify(problems)).not.toContain('ENCRYPTED')
  })
})
