import { beforeAll, describe, expect, it } from 'vitest'
import { decryptEntry } from '../../../main/managed/decrypt'
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

function failure(run: () => unknown): ManagedImportError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ManagedImportError)
    return error as ManagedImportError
  }
  throw new Error('expected a ManagedImportError')
}

describe('decryptEntry', () => {
  it('opens an openssl-encrypted PKCS#8 entry to the key openssl fingerprints', () => {
    const entry = entryOf(entryFor('a', key, { publicKeyFingerprint: key.fingerprint }))
    const parsed = decryptEntry(entry, TEST_PASSPHRASE)
    expect(parsed.publicKeyFingerprint).toBe(key.fingerprint)
    expect(parsed.format).toBe('encrypted-pkcs8')
  })

  it('opens an openssl PKCS#12 entry', () => {
    const entry = entryOf(entryFor('b', key, { privateKey: undefined, privateKeyPKCS12: p12 }))
    expect(decryptEntry(entry, TEST_PASSPHRASE).publicKeyFingerprint).toBe(key.fingerprint)
  })

  it('says “wrong passphrase” with the entry name, and keeps the passphrase out of the message', () => {
    const entry = entryOf(entryFor('c', key, { name: 'Acme Schools' }))
    const error = failure(() => decryptEntry(entry, 'not the passphrase'))
    expect(error.code).toBe('wrong_passphrase')
    expect(error.message).toBe(
      'Wrong passphrase for "Acme Schools". Nothing was imported; try again.',
    )
  })

  it('says “wrong passphrase” for a PKCS#12 entry too', () => {
    const entry = entryOf(entryFor('d', key, { privateKey: undefined, privateKeyPKCS12: p12 }))
    expect(failure(() => decryptEntry(entry, 'not the passphrase')).code).toBe('wrong_passphrase')
  })

  it('asks for a passphrase when none was typed', () => {
    const entry = entryOf(entryFor('e', key))
    expect(failure(() => decryptEntry(entry, '')).code).toBe('passphrase_required')
  })

  it('opens a privateKey pasted into the payload quoted and indented (issue 11 #1)', () => {
    const quoted = key.encryptedPem
      .trim()
      .split('\n')
      .map((line) => `> \t${line}`)
      .join('\r\n')
    const entry = entryOf(entryFor('q', key, { privateKey: quoted }))
    expect(decryptEntry(entry, TEST_PASSPHRASE).publicKeyFingerprint).toBe(key.fingerprint)
  })

  it('refuses a privateKey padded with a megabyte of BEGIN lines as damaged (issue 10 #7)', () => {
    const padding = `${armorLine('BEGIN', 'ENCRYPTED PRIVATE KEY')}\n`.repeat(25_000)
    const entry = entryOf(
      entryFor('p', key, { name: 'Padded', privateKey: padding + key.encryptedPem }),
    )
    const error = failure(() => decryptEntry(entry, TEST_PASSPHRASE))
    expect(error.code).toBe('key_invalid')
    expect(error.message).toBe(
      'The private key of "Padded" cannot be used: The PEM text is cut off or damaged. Nothing was imported.',
    )
  })

  it('refuses a key that does not match the fingerprint in the payload', () => {
    const entry = entryOf(
      entryFor('f', key, { name: 'Acme', publicKeyFingerprint: other.fingerprint }),
    )
    const error = failure(() => decryptEntry(entry, TEST_PASSPHRASE))
    expect(error.code).toBe('key_invalid')
    expect(error.message).toContain('does not match the publicKeyFingerprint in the payload')
    expect(error.message).toContain('Nothing was imported')
  })
})
