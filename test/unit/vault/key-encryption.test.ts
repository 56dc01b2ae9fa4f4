// Every encrypted key format openssl writes, imported through the path the app uses, with
// node:crypto's createPrivateKey watched: it must only ever see unencrypted PKCS#8 (BoringSSL, in
// Electron, cannot decrypt most of these itself).
import { execFileSync } from 'node:child_process'
import type * as Crypto from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Asn1 } from '../../../main/vault/asn1'
import { encryptedPkcs8DerFromPem, encryptedPkcs8Pem } from '../../../main/vault/pbes2'
import { KeyError, parsePrivateKey, type KeyErrorCode } from '../../../main/vault/private-key'
import { makeKeySet, TEST_PASSPHRASE, type TestKeySet } from '../../support/openssl-keys'
import {
  asLegacyScheme,
  PATHS,
  PBKDF2_ITERATIONS,
  setIntegerAt,
  setOidAt,
  withAlgorithm,
} from './der-patch'

const seen = vi.hoisted(() => ({ inputs: [] as unknown[] }))

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>()
  return {
    ...actual,
    createPrivateKey: (input: Parameters<typeof actual.createPrivateKey>[0]) => {
      seen.inputs.push(input)
      return actual.createPrivateKey(input)
    },
  }
})

let keys: TestKeySet

beforeAll(() => {
  keys = makeKeySet(2048)
})

afterAll(() => {
  rmSync(keys.dir, { recursive: true, force: true })
})

beforeEach(() => {
  seen.inputs = []
})

/** The test key, encrypted by the openssl command line with `args`; returns the PEM text. */
function opensslEncrypted(name: string, args: string[]): string {
  const out = join(keys.dir, `${name}.pem`)
  execFileSync('openssl', [
    ...args,
    '-in',
    keys.pkcs8,
    '-out',
    out,
    '-passout',
    `pass:${TEST_PASSPHRASE}`,
  ])
  return readFileSync(out, 'utf8')
}

const pkcs8 = (name: string, options: string[]) =>
  opensslEncrypted(name, ['pkcs8', '-topk8', '-iter', '2048', ...options])

function refusal(run: () => unknown): { code: KeyErrorCode; message: string } {
  try {
    run()
  } catch (error) {
    if (error instanceof KeyError) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected a KeyError')
}

/** An input createPrivateKey received, checked to be an unencrypted DER PrivateKeyInfo. */
function expectUnencryptedPkcs8(input: unknown): void {
  expect(input).toEqual({ key: expect.any(Buffer), format: 'der', type: 'pkcs8' })
  const der = (input as { key: Buffer }).key
  // SEQUENCE { INTEGER version, … }; an EncryptedPrivateKeyInfo starts SEQUENCE { SEQUENCE, … }.
  const lengthByte = der[1] as number
  const first = lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7f)
  expect(der[0]).toBe(0x30)
  expect(der[first]).toBe(0x02)
}

describe('encrypted keys openssl writes import through the app’s own decryption', () => {
  const cases: [string, () => string][] = [
    [
      'PBES2 AES-128-CBC, hmacWithSHA1',
      () => pkcs8('a128', ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA1']),
    ],
    [
      'PBES2 AES-192-CBC, hmacWithSHA224',
      () => pkcs8('a192', ['-v2', 'aes-192-cbc', '-v2prf', 'hmacWithSHA224']),
    ],
    [
      'PBES2 AES-256-CBC, hmacWithSHA256',
      () => pkcs8('a256', ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256']),
    ],
    [
      'PBES2 AES-256-CBC, hmacWithSHA384',
      () => pkcs8('s384', ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA384']),
    ],
    [
      'PBES2 AES-256-CBC, hmacWithSHA512',
      () => pkcs8('s512', ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA512']),
    ],
    ['PBES2 DES-EDE3-CBC (-v2 des3)', () => pkcs8('des3', ['-v2', 'des3'])],
    ['PBES2 scrypt (-scrypt)', () => opensslEncrypted('scrypt', ['pkcs8', '-topk8', '-scrypt'])],
    ['PKCS#12 PBE-SHA1-3DES (-v1)', () => pkcs8('v1', ['-v1', 'PBE-SHA1-3DES'])],
    [
      'legacy PEM, AES-256-CBC (openssl ec -aes256)',
      () => opensslEncrypted('ec-aes', ['ec', '-aes256']),
    ],
    [
      'legacy PEM, DES-EDE3-CBC (openssl ec -des3)',
      () => opensslEncrypted('ec-des3', ['ec', '-des3']),
    ],
  ]

  it.each(cases)('%s', (_name, make) => {
    const pem = make()
    expect(parsePrivateKey(pem, { passphrase: TEST_PASSPHRASE }).publicKeyFingerprint).toBe(
      keys.fingerprint,
    )
    expect(refusal(() => parsePrivateKey(pem, { passphrase: 'not it' }))).toEqual({
      code: 'wrong_passphrase',
      message: 'Wrong passphrase.',
    })
    expect(refusal(() => parsePrivateKey(pem)).code).toBe('passphrase_required')
    // node:crypto saw the decrypted key only, once, and nothing for the wrong passphrase.
    expect(seen.inputs).toHaveLength(1)
    expectUnencryptedPkcs8(seen.inputs[0])
  })

  it('hands node:crypto only unencrypted PKCS#8 for every other form too', () => {
    parsePrivateKey(readFileSync(keys.pkcs8, 'utf8'))
    parsePrivateKey(readFileSync(keys.sec1, 'utf8'))
    parsePrivateKey(readFileSync(keys.pkcs12), { passphrase: TEST_PASSPHRASE })
    expect(seen.inputs).toHaveLength(3)
    for (const input of seen.inputs) expectUnencryptedPkcs8(input)
  })
})

describe('a scheme the app cannot decrypt is named, never called a wrong passphrase (issue 10 #18)', () => {
  let der: Buffer
  beforeAll(() => {
    der = encryptedPkcs8DerFromPem(
      pkcs8('base', ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256']),
    ) as Buffer
  })
  const patched = (patch: Parameters<typeof withAlgorithm>[1]) =>
    encryptedPkcs8Pem(withAlgorithm(der, patch))
  const reexport = 're-export it with openssl pkcs8 -topk8 -v2 aes-256-cbc.'

  it.each([
    [
      'PBES1 MD5-DES',
      (algorithm: Asn1) => asLegacyScheme(algorithm, '1.2.840.113549.1.5.3'),
      `This key is encrypted with PBES1 MD5-DES (pbeWithMD5AndDES-CBC), which this app does not read; ${reexport}`,
    ],
    [
      'PKCS#12 RC2-40',
      (algorithm: Asn1) => asLegacyScheme(algorithm, '1.2.840.113549.1.12.1.6'),
      `This key is encrypted with pbeWithSHAAnd40BitRC2-CBC, which this app does not read; ${reexport}`,
    ],
    [
      'an unknown PRF',
      (algorithm: Asn1) => setOidAt(algorithm, PATHS.prf, '1.2.840.113549.2.12'),
      `This key is encrypted with PBES2 with PBKDF2 and the PRF hmacWithSHA512-224, which this app does not read; ${reexport}`,
    ],
    [
      'a PRF nobody names',
      (algorithm: Asn1) => setOidAt(algorithm, PATHS.prf, '1.3.6.1.4.1.99999.1'),
      `This key is encrypted with PBES2 with PBKDF2 and the PRF 1.3.6.1.4.1.99999.1, which this app does not read; ${reexport}`,
    ],
    [
      'an unknown cipher',
      (algorithm: Asn1) => setOidAt(algorithm, PATHS.cipher, '2.16.840.1.101.3.4.1.46'),
      `This key is encrypted with PBES2 with the cipher aes-256-gcm, which this app does not read; ${reexport}`,
    ],
    [
      'an iteration count of 0',
      (algorithm: Asn1) => setIntegerAt(algorithm, PBKDF2_ITERATIONS, 0),
      `This key's encryption asks for 0 iterations, which is not a valid setting; the file is damaged. To fix it, ${reexport}`,
    ],
  ])('%s', (_what, patch, message) => {
    const pem = patched(patch)
    expect(refusal(() => parsePrivateKey(pem, { passphrase: TEST_PASSPHRASE }))).toEqual({
      code: 'key_invalid',
      message,
    })
    // Said before a passphrase is asked for, which would be typed in vain.
    expect(refusal(() => parsePrivateKey(pem))).toEqual({ code: 'key_invalid', message })
    expect(seen.inputs).toEqual([])
  })
})

describe('scrypt is refused above its cost cap before it runs (issue 10 #3)', () => {
  let der: Buffer
  beforeAll(() => {
    der = encryptedPkcs8DerFromPem(
      opensslEncrypted('scrypt-cap', ['pkcs8', '-topk8', '-scrypt']),
    ) as Buffer
  })

  const asking = (path: number[], value: number) =>
    encryptedPkcs8Pem(
      withAlgorithm(der, (algorithm) => {
        setIntegerAt(algorithm, path, value)
      }),
    )

  it.each([
    ['a large p', PATHS.scryptP, 1 << 20, 'N=16,384, r=8, p=1,048,576, 16,777,216 MB'],
    ['a large N', PATHS.scryptN, 1 << 20, 'N=1,048,576, r=8, p=1, 1,024 MB'],
    ['a large r', PATHS.scryptR, 1 << 10, 'N=16,384, r=1,024, p=1, 2,048 MB'],
  ])('refuses %s', (_what, path, value, cost) => {
    const message =
      `This key's scrypt encryption asks for ${cost} of work; keys asking for more than 64 MB ` +
      "are refused so a damaged or hostile file cannot freeze the app. Re-export it with openssl's " +
      'default settings.'
    const pem = asking(path, value)
    expect(refusal(() => parsePrivateKey(pem, { passphrase: TEST_PASSPHRASE }))).toEqual({
      code: 'key_invalid',
      message,
    })
    expect(refusal(() => parsePrivateKey(pem)).message).toBe(message)
  })

  it('still reads openssl’s own scrypt parameters (N=16,384, r=8, p=1)', () => {
    const pem = asking(PATHS.scryptP, 1)
    expect(parsePrivateKey(pem, { passphrase: TEST_PASSPHRASE }).publicKeyFingerprint).toBe(
      keys.fingerprint,
    )
  })
})
