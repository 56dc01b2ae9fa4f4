import { readFileSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KeyErrorCode } from '../../../main/vault/errors'
import { describePkcs12, privateKeyFromPkcs12 } from '../../../main/vault/pkcs12'
import { publicKeyFingerprint } from '../../../main/vault/private-key'
import { makeKeySet, TEST_PASSPHRASE, type TestKeySet } from '../../support/openssl-keys'
import { withEncryptedSafeIterations, withKeyBagIterations, withMacIterations } from './der-patch'

let keys: TestKeySet
let p12: Buffer

beforeAll(() => {
  keys = makeKeySet(2048)
  p12 = readFileSync(keys.pkcs12)
})

afterAll(() => {
  rmSync(keys.dir, { recursive: true, force: true })
})

const TOO_MANY =
  "This key's encryption asks for 6,000,000 iterations; keys asking for more than 5,000,000 are " +
  'refused so a damaged or hostile file cannot freeze the app. ' +
  "Re-export it with openssl's default settings."

/** What privateKeyFromPkcs12 must throw: a KeyError with this code and message. */
const keyError = (code: KeyErrorCode, message: string) =>
  expect.objectContaining({ name: 'KeyError', code, message })

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

describe('privateKeyFromPkcs12 refuses iteration counts above the cap before any KDF runs', () => {
  it('still reads a file whose counts were rewritten to normal values', () => {
    const rewritten = withMacIterations(withKeyBagIterations(p12, 2_048), 600_000)
    expect(describePkcs12(rewritten).iterations).toBe(2_048)
    const key = privateKeyFromPkcs12(rewritten, TEST_PASSPHRASE)
    expect(publicKeyFingerprint(key)).toBe(keys.fingerprint)
  })

  it.each([
    ['key bag', withKeyBagIterations],
    ['encrypted SafeContents', withEncryptedSafeIterations],
    ['MAC', withMacIterations],
  ])('refuses a file whose %s asks for 6,000,000', (_what, rewrite) => {
    const hostile = rewrite(p12, 6_000_000)
    expect(() => privateKeyFromPkcs12(hostile, TEST_PASSPHRASE)).toThrow(
      keyError('key_invalid', TOO_MANY),
    )
    // Refused before the passphrase matters, so nobody is asked for one in vain.
    expect(() => privateKeyFromPkcs12(hostile)).toThrow(keyError('key_invalid', TOO_MANY))
  })

  it('refuses a damaged file as damaged', () => {
    const damaged = Buffer.from(p12.subarray(0, p12.length - 40))
    expect(() => privateKeyFromPkcs12(damaged, TEST_PASSPHRASE)).toThrow(
      keyError('key_invalid', 'This PKCS#12 file is damaged and could not be read.'),
    )
  })
})
