// Keys made by the openssl command line at test time, never by the code under test, so the app's
// parser and fingerprints are checked against an independent implementation.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const TEST_PASSPHRASE = 'correct horse battery staple'

function openssl(args: string[], input?: string): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] })
}

/** SHA-256 of the DER SubjectPublicKeyInfo, as `openssl pkey -pubout -outform DER | sha256sum`. */
export function opensslFingerprint(keyPath: string, passphrase?: string): string {
  const pass = passphrase === undefined ? [] : ['-passin', `pass:${passphrase}`]
  const der = openssl(['pkey', '-in', keyPath, ...pass, '-pubout', '-outform', 'DER'])
  return createHash('sha256').update(der).digest('hex')
}

export interface TestKeySet {
  dir: string
  /** P-256, PKCS#8 `BEGIN PRIVATE KEY`. */
  pkcs8: string
  /** The same key as SEC1 `BEGIN EC PRIVATE KEY`. */
  sec1: string
  /** The same key as PBES2 encrypted PKCS#8 (AES-256-CBC, HMAC-SHA256, 600,000 iterations). */
  encryptedPkcs8: string
  /** The same key in a PKCS#12 file with a self-signed certificate. */
  pkcs12: string
  /** The same key as PKCS#8 with CRLF line ends, a BOM and surrounding blank lines. */
  crlf: string
  /** The fingerprint openssl computes for this P-256 key. */
  fingerprint: string
  p384: string
  rsa: string
  ed25519: string
  certificate: string
  garbage: string
  empty: string
}

/** A fresh P-256 PKCS#8 key file in `dir`; returns its path. */
export function makeP256Key(dir: string, name = 'key.pem'): string {
  const path = join(dir, name)
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path])
  return path
}

/** A fresh 2048-bit RSA key (a key Apple never issues) in `dir`; returns its path. */
export function makeRsaKey(dir: string, name = 'rsa.pem'): string {
  const path = join(dir, name)
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path])
  return path
}

/** The base64 body of a PEM file, without its armor lines: a key as it may leak into text. */
export function pemBody(pem: string): string {
  return pem
    .split(/\r?\n/)
    .filter((line) => line && !line.startsWith('-----'))
    .join('')
}

/** Encrypts a PEM key as PBES2 PKCS#8 the way DESIGN.md tells admins to. */
export function encryptPkcs8(
  keyPath: string,
  outPath: string,
  passphrase = TEST_PASSPHRASE,
  iterations = 600_000,
): string {
  openssl([
    'pkcs8',
    '-topk8',
    '-v2',
    'aes-256-cbc',
    '-v2prf',
    'hmacWithSHA256',
    '-iter',
    String(iterations),
    '-in',
    keyPath,
    '-out',
    outPath,
    '-passout',
    `pass:${passphrase}`,
  ])
  return outPath
}

/** Wraps a key and a self-signed certificate into a PKCS#12 file. */
export function makePkcs12(keyPath: string, outPath: string, passphrase = TEST_PASSPHRASE): string {
  const cert = `${outPath}.crt`
  openssl([
    'req',
    '-new',
    '-x509',
    '-key',
    keyPath,
    '-subj',
    '/CN=AxM test',
    '-days',
    '1',
    '-out',
    cert,
  ])
  openssl([
    'pkcs12',
    '-export',
    '-inkey',
    keyPath,
    '-in',
    cert,
    '-out',
    outPath,
    '-passout',
    `pass:${passphrase}`,
  ])
  return outPath
}

export function makeKeySet(iterations = 600_000): TestKeySet {
  const dir = mkdtempSync(join(tmpdir(), 'axm-keys-'))
  const pkcs8 = makeP256Key(dir)
  const sec1 = join(dir, 'sec1.pem')
  openssl(['ec', '-in', pkcs8, '-out', sec1])
  const encryptedPkcs8 = encryptPkcs8(
    pkcs8,
    join(dir, 'encrypted.pem'),
    TEST_PASSPHRASE,
    iterations,
  )
  const pkcs12 = makePkcs12(pkcs8, join(dir, 'key.p12'))
  const crlf = join(dir, 'crlf.pem')
  const lines = readFileSync(pkcs8, 'utf8').trim().split('\n')
  writeFileSync(crlf, `\uFEFF\r\n  \r\n${lines.join('\r\n')}\r\n\r\n`)
  const p384 = join(dir, 'p384.pem')
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', p384])
  const rsa = makeRsaKey(dir)
  const ed25519 = join(dir, 'ed25519.pem')
  openssl(['genpkey', '-algorithm', 'ED25519', '-out', ed25519])
  const certificate = `${pkcs12}.crt`
  const garbage = join(dir, 'garbage.pem')
  writeFileSync(garbage, 'this is not a key at all\n')
  const empty = join(dir, 'empty.pem')
  writeFileSync(empty, '')
  return {
    dir,
    pkcs8,
    sec1,
    encryptedPkcs8,
    pkcs12,
    crlf,
    fingerprint: opensslFingerprint(pkcs8),
    p384,
    rsa,
    ed25519,
    certificate,
    garbage,
    empty,
  }
}

/** The fingerprint of the key openssl reads out of PKCS#12 bytes, or the error text it prints. */
export function opensslPkcs12Fingerprint(
  p12: Buffer,
  passphrase: string,
): { fingerprint: string } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'axm-p12-'))
  const path = join(dir, 'in.p12')
  writeFileSync(path, p12)
  try {
    const args = ['pkcs12', '-in', path, '-nocerts', '-nodes', '-passin', `pass:${passphrase}`]
    writeFileSync(join(dir, 'key.pem'), openssl(args))
    return { fingerprint: opensslFingerprint(join(dir, 'key.pem')) }
  } catch (error) {
    return { error: String((error as { stderr?: Buffer }).stderr ?? error) }
  }
}

/** An RFC 7468 armour line (`kind` BEGIN or END) for `label`, for inputs that are not keys. */
export function armorLine(kind: 'BEGIN' | 'END', label: string): string {
  const dashes = '-'.repeat(5)
  return `${dashes}${kind} ${label}${dashes}`
}
