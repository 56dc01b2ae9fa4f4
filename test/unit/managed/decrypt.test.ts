import { beforeAll, describe, expect, it } from 'vitest'
import { decryptEntry } from '../../../main/managed/decrypt'
import { keyParserWith, parseInThread } from '../../../main/vault/parse-in-worker'
import { keyWorkerBeside } from '../../../main/worker-script'
import { ManagedImportError } from '../../../main/managed/errors'
import { parseManagedPayload, type ManagedEntry } from '../../../main/managed/payload'
import {
  entryFor,
  makeEntryKey,
  pkcs12Of,
  tempDir,
  TEST_PASSPHRASE,
  type EntryKey,
} from './fixtures'
import { armorLine } from '../../support/openssl-keys'
import { rejectionOf } from '../../support/rejection'

let key: EntryKey
let other: EntryKey
let p12: Buffer

beforeAll(() => {
  const dir = tempDir()
  key = makeEntryKey(dir)
  other = makeEntryKey(dir)
  p12 = pkcs12Of(key)
})

function entryOf(raw: Record<string, unknown>): ManagedEntry {
  const { entries, problems } = parseManagedPayload({ ManagedCredentials: [raw] })
  expect(problems).toEqual([])
  return entries[0] as ManagedEntry
}

const failure = (decrypting: Promise<unknown>) => rejectionOf(decrypting, ManagedImportError)

// The app decrypts on a worker thread (services.ts); the CLI and the default, in this thread.
const parsers = [
  ['in this thread', parseInThread],
  ['on a worker thread', keyParserWith(keyWorkerBeside(import.meta.url))],
] as const

describe.each(parsers)('decryptEntry, %s', (_, parse) => {
  const decrypt = (entry: ManagedEntry, passphrase: string) =>
    decryptEntry(entry, passphrase, parse)

  it('opens an openssl-encrypted PKCS#8 entry to the key openssl fingerprints', async () => {
    const entry = entryOf(entryFor('a', key, { publicKeyFingerprint: key.fingerprint }))
    const parsed = await decrypt(entry, TEST_PASSPHRASE)
    expect(parsed.publicKeyFingerprint).toBe(key.fingerprint)
    expect(parsed.format).toBe('encrypted-pkcs8')
  })

  it('opens an openssl PKCS#12 entry', async () => {
    const entry = entryOf(entryFor('b', key, { privateKey: undefined, privateKeyPKCS12: p12 }))
    expect((await decrypt(entry, TEST_PASSPHRASE)).publicKeyFingerprint).toBe(key.fingerprint)
  })

  it('says “wrong passphrase” with the entry name, and keeps the passphrase out of the message', async () => {
    const entry = entryOf(entryFor('c', key, { name: 'Acme Schools' }))
    const error = await failure(decrypt(entry, 'not the passphrase'))
    expect(error.code).toBe('wrong_passphrase')
    expect(error.message).toBe(
      'Wrong passphrase for "Acme Schools". Nothing was imported; try again.',
    )
  })

  it('says “wrong passphrase” for a PKCS#12 entry too', async () => {
    const entry = entryOf(entryFor('d', key, { privateKey: undefined, privateKeyPKCS12: p12 }))
    expect((await failure(decrypt(entry, 'not the passphrase'))).code).toBe('wrong_passphrase')
  })

  it('asks for a passphrase when none was typed', async () => {
    const entry = entryOf(entryFor('e', key))
    expect((await failure(decrypt(entry, ''))).code).toBe('passphrase_required')
  })

  it('opens a privateKey pasted into the payload quoted and indented (issue 11 #1)', async () => {
    const quoted = key.encryptedPem
      .trim()
      .split('\n')
      .map((line) => `> \t${line}`)
      .join('\r\n')
    const entry = entryOf(entryFor('q', key, { privateKey: quoted }))
    expect((await decrypt(entry, TEST_PASSPHRASE)).publicKeyFingerprint).toBe(key.fingerprint)
  })

  it('refuses a privateKey padded with a megabyte of BEGIN lines as damaged (issue 10 #7)', async () => {
    const padding = `${armorLine('BEGIN', 'ENCRYPTED PRIVATE KEY')}\n`.repeat(25_000)
    const entry = entryOf(
      entryFor('p', key, { name: 'Padded', privateKey: padding + key.encryptedPem }),
    )
    const error = await failure(decrypt(entry, TEST_PASSPHRASE))
    expect(error.code).toBe('key_invalid')
    expect(error.message).toBe(
      'The private key of "Padded" cannot be used: The PEM text is cut off or damaged. Nothing was imported.',
    )
  })

  it('refuses a key that does not match the fingerprint in the payload', async () => {
    const entry = entryOf(
      entryFor('f', key, { name: 'Acme', publicKeyFingerprint: other.fingerprint }),
    )
    const error = await failure(decrypt(entry, TEST_PASSPHRASE))
    expect(error.code).toBe('key_invalid')
    expect(error.message).toContain('does not match the publicKeyFingerprint in the payload')
    expect(error.message).toContain('Nothing was imported')
  })
})
