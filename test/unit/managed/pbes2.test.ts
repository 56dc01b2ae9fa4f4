import { execFileSync } from 'node:child_process'
import { createHash, createPrivateKey } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  describeEncryptedPkcs8,
  describePkcs12,
  encryptedPkcs8DerFromPem,
  encryptedPkcs8Pem,
  encryptPkcs8Der,
  KeyStructureError,
} from '../../../main/managed/pbes2'
import {
  encryptPkcs8,
  makeP256Key,
  makePkcs12,
  opensslFingerprint,
} from '../../support/openssl-keys'
import { tempDir } from './fixtures'

let dir: string
let keyPath: string

beforeAll(() => {
  dir = tempDir()
  keyPath = makeP256Key(dir)
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

  it('reads the key bag protection inside an openssl PKCS#12 file', () => {
    const p12 = readFileSync(makePkcs12(keyPath, join(dir, 'key.p12')))
    // OpenSSL 3's pkcs12 -export default.
    expect(describePkcs12(p12)).toEqual({
      scheme: 'PBES2',
      kdf: 'PBKDF2',
      prf: 'hmacWithSHA256',
      iterations: 2_048,
      cipher: 'aes-256-cbc',
    })
  })

  it('refuses bytes that are not DER', () => {
    expect(() => describeEncryptedPkcs8(Buffer.from('not der at all'))).toThrow(KeyStructureError)
    expect(
      encryptedPkcs8DerFromPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'),
    ).toBeUndefined()
  })
})
