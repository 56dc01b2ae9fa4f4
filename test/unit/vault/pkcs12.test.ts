import { readFileSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { child, parseDer, toDer } from '../../../main/vault/asn1'
import type { KeyErrorCode } from '../../../main/vault/errors'
import { describePkcs12, privateKeyInfoFromPkcs12 } from '../../../main/vault/pkcs12'
import { parsePrivateKey } from '../../../main/vault/private-key'
import {
  makeKeySet,
  opensslPkcs12Fingerprint,
  TEST_PASSPHRASE,
  type TestKeySet,
} from '../../support/openssl-keys'
import {
  withEncryptedSafeIterations,
  withFreshMac,
  withKeyBagIterations,
  withKeyInEncryptedSafe,
  withMacIterations,
} from './der-patch'

let keys: TestKeySet
let p12: Buffer

beforeAll(() => {
  keys = makeKeySet(2048)
  p12 = readFileSync(keys.pkcs12)
})

afterAll(() => {
  rmSync(keys.dir, { recursive: true, force: true })
})

const tooMany = (asked: string, cap: string) =>
  `This key's encryption asks for ${asked} iterations; keys asking for more than ${cap} are ` +
  'refused so a damaged or hostile file cannot freeze the app. ' +
  "Re-export it with openssl's default settings."

/** What privateKeyInfoFromPkcs12 must throw: a KeyError with this code and message. */
const keyError = (code: KeyErrorCode, message: string) =>
  expect.objectContaining({ name: 'KeyError', code, message })

const fingerprintOf = (bytes: Buffer) =>
  parsePrivateKey(bytes, { passphrase: TEST_PASSPHRASE }).publicKeyFingerprint

describe('describePkcs12', () => {
  it('reads the key bag protection inside an openssl PKCS#12 file', () => {
    // OpenSSL 3's pkcs12 -export default.
    expect(describePkcs12(p12)).toEqual({
      scheme: 'PBES2',
      kdf: 'PBKDF2',
      prf: 'hmacWithSHA256',
      iterations: 2_048,
      cipher: 'aes-256-cbc',
    })
  })
})

describe('privateKeyInfoFromPkcs12 refuses iteration counts above the cap before any KDF runs', () => {
  it('still reads a file whose counts were rewritten to normal values', () => {
    const rewritten = withFreshMac(
      withMacIterations(withKeyBagIterations(p12, 2_048), 20_000),
      TEST_PASSPHRASE,
    )
    expect(describePkcs12(rewritten).iterations).toBe(2_048)
    expect(opensslPkcs12Fingerprint(rewritten, TEST_PASSPHRASE)).toEqual({
      fingerprint: keys.fingerprint,
    })
    expect(fingerprintOf(rewritten)).toBe(keys.fingerprint)
  })

  it.each([
    ['key bag', withKeyBagIterations],
    ['encrypted SafeContents', withEncryptedSafeIterations],
  ])('refuses a file whose %s asks for 6,000,000', (_what, rewrite) => {
    const hostile = rewrite(p12, 6_000_000)
    const refusal = keyError('key_invalid', tooMany('6,000,000', '5,000,000'))
    expect(() => privateKeyInfoFromPkcs12(hostile, TEST_PASSPHRASE)).toThrow(refusal)
    // Refused before the passphrase matters, so nobody is asked for one in vain.
    expect(() => privateKeyInfoFromPkcs12(hostile)).toThrow(refusal)
  })

  it('refuses a MAC asking the JavaScript PKCS#12 KDF for more than 1,000,000', () => {
    const hostile = withMacIterations(p12, 1_000_001)
    const refusal = keyError('key_invalid', tooMany('1,000,001', '1,000,000'))
    expect(() => privateKeyInfoFromPkcs12(hostile, TEST_PASSPHRASE)).toThrow(refusal)
    expect(() => privateKeyInfoFromPkcs12(hostile)).toThrow(refusal)
  })

  it('refuses a damaged file as damaged', () => {
    const damaged = Buffer.from(p12.subarray(0, p12.length - 40))
    expect(() => privateKeyInfoFromPkcs12(damaged, TEST_PASSPHRASE)).toThrow(
      keyError('key_invalid', 'This PKCS#12 file is damaged and could not be read.'),
    )
  })
})

describe('a key bag inside an encrypted SafeContents (issue 10 #8)', () => {
  it('is found and read, as openssl reads it', () => {
    const hidden = withFreshMac(withKeyInEncryptedSafe(p12, TEST_PASSPHRASE), TEST_PASSPHRASE)
    expect(opensslPkcs12Fingerprint(hidden, TEST_PASSPHRASE)).toEqual({
      fingerprint: keys.fingerprint,
    })
    expect(fingerprintOf(hidden)).toBe(keys.fingerprint)
    expect(() => parsePrivateKey(hidden, { passphrase: 'not it' })).toThrow(
      keyError('wrong_passphrase', 'Wrong passphrase.'),
    )
  })

  it('has its own iteration count checked before its KDF runs', () => {
    // Written as the INTEGER -2^31, which reads unsigned as 2^31 (forge writes only 32-bit signed).
    const hostile = withFreshMac(
      withKeyInEncryptedSafe(p12, TEST_PASSPHRASE, -(2 ** 31)),
      TEST_PASSPHRASE,
    )
    expect(() => parsePrivateKey(hostile, { passphrase: TEST_PASSPHRASE })).toThrow(
      keyError('key_invalid', tooMany('2,147,483,648', '5,000,000')),
    )
  })
})

describe('the PKCS#12 MAC is verified (issue 10 #9)', () => {
  /** The file with one bit of its stored MAC flipped: openssl says "Mac verify error". */
  function withBrokenMac(): Buffer {
    const pfx = parseDer(p12)
    const digest = child(child(child(pfx, 2), 0), 1)
    const bytes = Buffer.from(digest.value as string, 'binary')
    bytes[0] = (bytes[0] as number) ^ 0x01
    digest.value = bytes.toString('binary')
    return toDer(pfx)
  }

  it('refuses a file openssl rejects with "Mac verify error" as damaged, when the passphrase is right', () => {
    const broken = withBrokenMac()
    const openssl = opensslPkcs12Fingerprint(broken, TEST_PASSPHRASE)
    expect(openssl).toEqual({ error: expect.stringContaining('Mac verify error') })
    expect(() => parsePrivateKey(broken, { passphrase: TEST_PASSPHRASE })).toThrow(
      keyError(
        'key_invalid',
        'This PKCS#12 file is damaged: its integrity check (MAC) fails although the passphrase ' +
          'opens its key. Export the key again from where it came from.',
      ),
    )
  })

  it('calls a MAC failure with a passphrase that opens nothing a wrong passphrase', () => {
    expect(() => parsePrivateKey(withBrokenMac(), { passphrase: 'not it' })).toThrow(
      keyError('wrong_passphrase', 'Wrong passphrase.'),
    )
    expect(() => parsePrivateKey(withBrokenMac())).toThrow(
      keyError('passphrase_required', 'This PKCS#12 file is encrypted; enter its passphrase.'),
    )
  })
})
