import { execFileSync } from 'node:child_process'
import { createHash, createPrivateKey } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { child, KeyStructureError, parseDer, toDer } from '../../../main/vault/asn1'
import { KeyError } from '../../../main/vault/errors'
import { assertIterationsAllowed, MAX_KDF_ITERATIONS } from '../../../main/vault/key-encryption'
import {
  describeEncryptedPkcs8,
  encryptedPkcs8DerFromPem,
  encryptedPkcs8Pem,
  encryptPkcs8Der,
} from '../../../main/vault/pbes2'
import { encryptPkcs8, makeP256Key, opensslFingerprint } from '../../support/openssl-keys'
import { PBKDF2_ITERATIONS, setIntegerAt } from './der-patch'

let dir: string
let keyPath: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'axm-pbes2-'))
  keyPath = makeP256Key(dir)
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function opensslDecryptFingerprint(pemPath: string, passphrase: string): string {
  const der = execFileSync(
    'openssl',
    ['pkey', '-in', pemPath, '-passin', `pass:${passphrase}`, '-pubout', '-outform', 'DER'],
    { stdio: 'pipe' },
  )
  return createHash('sha256').update(der).digest('hex')
}

describe('encryptPkcs8Der', () => {
  it('writes PBES2 that openssl decrypts to the same key', () => {
    const der = createPrivateKey(readFileSync(keyPath)).export({ type: 'pkcs8', format: 'der' })
    const out = join(dir, 'ours.pem')
    const passphrase = 'pässphrase with ümlauts'
    writeFileSync(out, encryptedPkcs8Pem(encryptPkcs8Der(der, passphrase, { iterations: 2_000 })))
    // openssl pkcs8 reads it without -topk8: it is a standard EncryptedPrivateKeyInfo.
    execFileSync('openssl', [
      'pkcs8',
      '-in',
      out,
      '-passin',
      `pass:${passphrase}`,
      '-out',
      join(dir, 'back.pem'),
    ])
    expect(opensslDecryptFingerprint(out, passphrase)).toBe(opensslFingerprint(keyPath))
    expect(() => opensslDecryptFingerprint(out, 'wrong passphrase')).toThrow()
  })

  it('uses a fresh salt and IV for every encryption', () => {
    const der = createPrivateKey(readFileSync(keyPath)).export({ type: 'pkcs8', format: 'der' })
    const a = encryptPkcs8Der(der, 'passphrase-1234', { iterations: 1_000 })
    const b = encryptPkcs8Der(der, 'passphrase-1234', { iterations: 1_000 })
    expect(a.equals(b)).toBe(false)
  })
})

describe('describing encrypted keys without the passphrase', () => {
  it('reads PBKDF2, hmacWithSHA256, 600,000 iterations and AES-256-CBC from an openssl key', () => {
    const pem = readFileSync(encryptPkcs8(keyPath, join(dir, 'enc600k.pem')), 'utf8')
    const der = encryptedPkcs8DerFromPem(pem)
    expect(der).toBeDefined()
    expect(describeEncryptedPkcs8(der as Buffer)).toEqual({
      scheme: 'PBES2',
      kdf: 'PBKDF2',
      prf: 'hmacWithSHA256',
      iterations: 600_000,
      cipher: 'aes-256-cbc',
    })
  })

  it('reads the default hmacWithSHA1 PRF when the parameters leave it out', () => {
    const out = join(dir, 'sha1.pem')
    execFileSync('openssl', [
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-128-cbc',
      '-v2prf',
      'hmacWithSHA1',
      '-iter',
      '5000',
      '-in',
      keyPath,
      '-out',
      out,
      '-passout',
      'pass:abcdefghijkl',
    ])
    const der = encryptedPkcs8DerFromPem(readFileSync(out, 'utf8')) as Buffer
    expect(describeEncryptedPkcs8(der)).toMatchObject({
      prf: 'hmacWithSHA1',
      iterations: 5_000,
      cipher: 'aes-128-cbc',
    })
  })

  it('refuses bytes that are not DER', () => {
    expect(() => describeEncryptedPkcs8(Buffer.from('not der at all'))).toThrow(KeyStructureError)
    expect(encryptedPkcs8DerFromPem(readFileSync(keyPath, 'utf8'))).toBeUndefined()
  })
})

describe('the KDF iteration cap', () => {
  it('allows counts up to MAX_KDF_ITERATIONS', () => {
    expect(MAX_KDF_ITERATIONS).toBe(5_000_000)
    for (const iterations of [1, 600_000, MAX_KDF_ITERATIONS]) {
      expect(() => assertIterationsAllowed(iterations)).not.toThrow()
    }
  })

  it('refuses one more, saying what to do', () => {
    expect(() => assertIterationsAllowed(MAX_KDF_ITERATIONS + 1)).toThrow(KeyError)
    expect(() => assertIterationsAllowed(MAX_KDF_ITERATIONS + 1)).toThrow(
      "This key's encryption asks for 5,000,001 iterations; keys asking for more than 5,000,000 " +
        'are refused so a damaged or hostile file cannot freeze the app. ' +
        "Re-export it with openssl's default settings.",
    )
  })

  it('reads a count written as a negative INTEGER unsigned, as forge would run it', () => {
    const der = createPrivateKey(readFileSync(keyPath)).export({ type: 'pkcs8', format: 'der' })
    const root = parseDer(encryptPkcs8Der(der, 'passphrase-1234', { iterations: 1_000 }))
    setIntegerAt(child(root, 0), PBKDF2_ITERATIONS, -(2 ** 31))
    expect(describeEncryptedPkcs8(toDer(root)).iterations).toBe(2 ** 31)
  })
})
