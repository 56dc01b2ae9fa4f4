import { execFileSync } from 'node:child_process'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  describeKey,
  KeyError,
  parsePrivateKey,
  publicKeyFingerprint,
  type KeyErrorCode,
} from '../../../main/vault/private-key'
import { encryptedPkcs8DerFromPem, encryptedPkcs8Pem } from '../../../main/vault/pbes2'
import {
  makePkcs12,
  makeKeySet,
  opensslFingerprint,
  TEST_PASSPHRASE,
  type TestKeySet,
  armorLine,
} from '../../support/openssl-keys'
import { withPkcs8Iterations } from './der-patch'

let keys: TestKeySet
const text = (path: string): string => readFileSync(path, 'utf8')
const bytes = (path: string): Buffer => readFileSync(path)

beforeAll(() => {
  keys = makeKeySet(2048)
})

afterAll(() => {
  rmSync(keys.dir, { recursive: true, force: true })
})

/** A PKCS#12 file of the test key made by openssl with extra options. */
function exportPkcs12(options: string[], keyArgs = ['-inkey', keys.pkcs8]): string {
  const path = join(keys.dir, `export-${options.join('')}.p12`)
  const args = ['pkcs12', '-export', ...keyArgs, '-in', keys.certificate, '-out', path]
  execFileSync('openssl', [...args, ...options, '-passout', `pass:${TEST_PASSPHRASE}`])
  return path
}

function refusal(run: () => unknown): { code: KeyErrorCode; message: string } {
  try {
    run()
  } catch (error) {
    if (error instanceof KeyError) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected a KeyError')
}

describe('parsePrivateKey accepts every form of a P-256 key', () => {
  it('reads PKCS#8 PEM and fingerprints it as openssl does', () => {
    const key = parsePrivateKey(text(keys.pkcs8))
    expect(key.format).toBe('pkcs8')
    expect(key.publicKeyFingerprint).toBe(keys.fingerprint)
    expect(key.publicKeyFingerprint).toMatch(/^[0-9a-f]{64}$/)
  })

  it('reads SEC1 PEM', () => {
    const key = parsePrivateKey(text(keys.sec1))
    expect(key.format).toBe('sec1')
    expect(key.publicKeyFingerprint).toBe(keys.fingerprint)
  })

  it('reads encrypted PKCS#8 with the right passphrase', () => {
    const key = parsePrivateKey(text(keys.encryptedPkcs8), { passphrase: TEST_PASSPHRASE })
    expect(key.format).toBe('encrypted-pkcs8')
    expect(key.publicKeyFingerprint).toBe(opensslFingerprint(keys.encryptedPkcs8, TEST_PASSPHRASE))
  })

  it('reads PKCS#12 bytes with the right passphrase, recognised by content alone', () => {
    const key = parsePrivateKey(bytes(keys.pkcs12), { passphrase: TEST_PASSPHRASE })
    expect(key.format).toBe('pkcs12')
    expect(key.publicKeyFingerprint).toBe(keys.fingerprint)
  })

  it('reads a PKCS#12 file exported without a password', () => {
    const path = join(keys.dir, 'nopass.p12')
    makePkcs12(keys.pkcs8, path, '')
    const key = parsePrivateKey(bytes(path), { fileName: 'nopass.p12' })
    expect(key.publicKeyFingerprint).toBe(keys.fingerprint)
  })

  it.each([
    ['legacy 3DES / RC2 encryption', ['-legacy']],
    ['an unencrypted key bag', ['-keypbe', 'NONE', '-certpbe', 'NONE']],
    ['a high iteration count', ['-iter', '600000']],
  ])('reads a PKCS#12 file with %s', (_what, options) => {
    const path = exportPkcs12(options)
    const key = parsePrivateKey(bytes(path), { passphrase: TEST_PASSPHRASE })
    expect(key.publicKeyFingerprint).toBe(keys.fingerprint)
  })

  it('takes CRLF line ends, a BOM and surrounding blank lines', () => {
    expect(text(keys.crlf)).toMatch(/^\uFEFF[\s\S]*\r\n/)
    expect(parsePrivateKey(text(keys.crlf)).publicKeyFingerprint).toBe(keys.fingerprint)
    expect(parsePrivateKey(bytes(keys.crlf)).publicKeyFingerprint).toBe(keys.fingerprint)
  })

  it('skips the EC PARAMETERS block that openssl ecparam -genkey writes first', () => {
    const withParams = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${text(keys.sec1)}`
    expect(parsePrivateKey(withParams).publicKeyFingerprint).toBe(keys.fingerprint)
  })

  it('gives an unencrypted PKCS#8 PEM that round-trips to the same key', () => {
    for (const key of [
      parsePrivateKey(text(keys.sec1)),
      parsePrivateKey(text(keys.encryptedPkcs8), { passphrase: TEST_PASSPHRASE }),
      parsePrivateKey(bytes(keys.pkcs12), { passphrase: TEST_PASSPHRASE }),
    ]) {
      expect(key.pkcs8Pem.startsWith(`${armorLine('BEGIN', 'PRIVATE KEY')}\n`)).toBe(true)
      const again = parsePrivateKey(key.pkcs8Pem)
      expect(again.format).toBe('pkcs8')
      expect(again.publicKeyFingerprint).toBe(keys.fingerprint)
      expect(again.keyObject.equals(key.keyObject)).toBe(true)
    }
  })

  it('publicKeyFingerprint matches openssl for private and public key objects', () => {
    const privateKey = createPrivateKey(text(keys.pkcs8))
    expect(publicKeyFingerprint(privateKey)).toBe(opensslFingerprint(keys.pkcs8))
    expect(publicKeyFingerprint(createPublicKey(privateKey))).toBe(keys.fingerprint)
  })

  it('describeKey shows the format and fingerprint, never key material', () => {
    const inspection = describeKey(parsePrivateKey(text(keys.sec1)))
    expect(inspection).toEqual({
      format: 'sec1',
      curve: 'P-256',
      publicKeyFingerprint: keys.fingerprint,
    })
  })
})

describe('parsePrivateKey refuses everything else, precisely', () => {
  it('asks for the passphrase of encrypted PKCS#8, and refuses a wrong one', () => {
    expect(refusal(() => parsePrivateKey(text(keys.encryptedPkcs8)))).toEqual({
      code: 'passphrase_required',
      message: 'This key is encrypted; enter its passphrase.',
    })
    expect(
      refusal(() => parsePrivateKey(text(keys.encryptedPkcs8), { passphrase: 'not it' })),
    ).toEqual({ code: 'wrong_passphrase', message: 'Wrong passphrase.' })
  })

  it('asks for the passphrase of PKCS#12, and refuses a wrong one', () => {
    expect(refusal(() => parsePrivateKey(bytes(keys.pkcs12))).code).toBe('passphrase_required')
    expect(refusal(() => parsePrivateKey(bytes(keys.pkcs12), { passphrase: 'not it' }))).toEqual({
      code: 'wrong_passphrase',
      message: 'Wrong passphrase.',
    })
  })

  it.each([
    ['p384', 'This is a P-384 key; Apple issues EC P-256 keys.'],
    ['rsa', 'This is an RSA key; Apple issues EC P-256 keys.'],
    ['ed25519', 'This is an Ed25519 key; Apple issues EC P-256 keys.'],
    ['certificate', 'This is a certificate, not a private key.'],
    ['garbage', 'This is not a PEM private key or a PKCS#12 file.'],
    ['empty', 'The file is empty.'],
  ] as const)('refuses %s', (name, message) => {
    expect(refusal(() => parsePrivateKey(text(keys[name])))).toEqual({
      code: 'key_invalid',
      message,
    })
    expect(refusal(() => parsePrivateKey(bytes(keys[name])))).toEqual({
      code: 'key_invalid',
      message,
    })
  })

  it('refuses a PKCS#12 file that holds only a certificate', () => {
    const path = exportPkcs12(['-nokeys'], [])
    expect(refusal(() => parsePrivateKey(bytes(path), { passphrase: TEST_PASSPHRASE }))).toEqual({
      code: 'key_invalid',
      message: 'This PKCS#12 file holds no private key.',
    })
  })

  it('refuses an RSA key inside a PKCS#12 file', () => {
    const path = join(keys.dir, 'rsa.p12')
    makePkcs12(keys.rsa, path)
    expect(refusal(() => parsePrivateKey(bytes(path), { passphrase: TEST_PASSPHRASE }))).toEqual({
      code: 'key_invalid',
      message: 'This is an RSA key; Apple issues EC P-256 keys.',
    })
  })

  it('refuses a public key, a truncated PEM and a PEM with two keys', () => {
    const publicKey = createPublicKey(text(keys.pkcs8)).export({ type: 'spki', format: 'pem' })
    const pem = text(keys.pkcs8)
    expect(refusal(() => parsePrivateKey(publicKey.toString())).message).toBe(
      'This is a public key; the private key is needed.',
    )
    expect(refusal(() => parsePrivateKey(pem.slice(0, pem.length / 2))).message).toBe(
      'The PEM text is cut off or damaged.',
    )
    expect(refusal(() => parsePrivateKey(pem + pem)).message).toMatch(/more than one private key/)
  })

  it('refuses a file named .p12 that is not PKCS#12, and a damaged key body', () => {
    expect(refusal(() => parsePrivateKey(bytes(keys.garbage), { fileName: 'key.P12' })).code).toBe(
      'key_invalid',
    )
    const damaged = text(keys.pkcs8).replace(/\n[A-Za-z0-9+/]{10}/, '\nAAAAAAAAAA')
    expect(refusal(() => parsePrivateKey(damaged)).code).toBe('key_invalid')
  })

  it('never puts key material in a refusal message', () => {
    const pem = text(keys.encryptedPkcs8)
    const body = pem.split('\n')[1] ?? ''
    const messages = [
      refusal(() => parsePrivateKey(pem, { passphrase: 'x' })).message,
      refusal(() => parsePrivateKey(text(keys.p384))).message,
      refusal(() => parsePrivateKey(bytes(keys.pkcs12), { passphrase: 'x' })).message,
    ]
    for (const message of messages) {
      expect(message).not.toContain(body.slice(0, 16))
      expect(message).not.toContain('-----BEGIN')
    }
  })

  it('reads a key file written with Windows line ends from bytes', () => {
    const path = join(keys.dir, 'windows.pem')
    writeFileSync(path, text(keys.sec1).replace(/\n/g, '\r\n'))
    expect(parsePrivateKey(bytes(path)).format).toBe('sec1')
  })
})

describe('parsePrivateKey refuses encrypted PKCS#8 asking for too many iterations', () => {
  /** The openssl-made encrypted key, rewritten to ask for `iterations`; no KDF runs to make it. */
  function encryptedAsking(iterations: number): string {
    const der = encryptedPkcs8DerFromPem(text(keys.encryptedPkcs8))
    if (!der) throw new Error('openssl wrote no encrypted PKCS#8')
    return encryptedPkcs8Pem(withPkcs8Iterations(der, iterations))
  }

  it('still decrypts the rewritten key at its own count', () => {
    const key = parsePrivateKey(encryptedAsking(2048), { passphrase: TEST_PASSPHRASE })
    expect(key.publicKeyFingerprint).toBe(keys.fingerprint)
  })

  it('refuses 6,000,000 iterations before the KDF runs, with or without a passphrase', () => {
    const hostile = encryptedAsking(6_000_000)
    const expected = {
      code: 'key_invalid',
      message:
        "This key's encryption asks for 6,000,000 iterations; keys asking for more than " +
        '5,000,000 are refused so a damaged or hostile file cannot freeze the app. ' +
        "Re-export it with openssl's default settings.",
    }
    expect(refusal(() => parsePrivateKey(hostile, { passphrase: TEST_PASSPHRASE }))).toEqual(
      expected,
    )
    expect(refusal(() => parsePrivateKey(hostile))).toEqual(expected)
  })

  it('calls an encrypted key whose structure cannot be read damaged', () => {
    const body = Buffer.from('not an EncryptedPrivateKeyInfo').toString('base64')
    const pem = `${armorLine('BEGIN', 'ENCRYPTED PRIVATE KEY')}\n${body}\n${armorLine('END', 'ENCRYPTED PRIVATE KEY')}\n`
    expect(refusal(() => parsePrivateKey(pem, { passphrase: TEST_PASSPHRASE }))).toEqual({
      code: 'key_invalid',
      message: 'The private key is damaged and could not be read.',
    })
  })
})
