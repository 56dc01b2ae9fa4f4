// Decrypting password-protected keys ourselves, with primitives that both OpenSSL and BoringSSL
// (Electron's Node) provide: PBKDF2 with HMAC-SHA-1/224/256/384/512, scrypt, the PKCS#12 KDF built
// on SHA-1, MD5 for OpenSSL's legacy PEM encryption, AES-128/192/256-CBC and DES-EDE3-CBC. BoringSSL
// cannot decrypt PBES2 with hmacWithSHA512 or scrypt itself, so node:crypto is only ever given the
// decrypted, unencrypted key.
//
// One reader takes an AlgorithmIdentifier apart; describing (for `payload inspect`) and decrypting
// both use it. Before a KDF runs its cost is checked: a key may ask for 2^31 iterations or gigabytes
// of scrypt memory, and the KDF runs synchronously on the main process. A scheme this app cannot
// decrypt is named as unsupported, never reported as a wrong passphrase.
import { createDecipheriv, hash, pbkdf2Sync, scryptSync } from 'node:crypto'
import {
  type Asn1,
  child,
  children,
  isInteger,
  isOctetString,
  isSequence,
  KeyStructureError,
  octetsOf,
  oidOf,
  parseDer,
  unsignedIntegerOf,
} from './asn1'
import { KeyError } from './errors'
import { KdfBudget } from './kdf-budget'
import { bmpPassword, pkcs12Kdf } from './pkcs12-kdf'

/**
 * The most PBKDF2 iterations a key may ask for: about 8× the 600,000 that DESIGN.md has the packager
 * use, a couple of seconds of native PBKDF2 at worst.
 */
export const MAX_KDF_ITERATIONS = 5_000_000
/**
 * The most iterations of the PKCS#12 KDF (MAC keys, legacy pbeWithSHAAnd… schemes). It runs one
 * hash per iteration in JavaScript, several times slower than native PBKDF2; openssl writes 2,048,
 * or what `-iter` says.
 */
export const MAX_PKCS12_KDF_ITERATIONS = 1_000_000
/** scrypt's memory, 128·N·r·p bytes, bounds its work too; openssl's default is 16 MiB. */
export const MAX_SCRYPT_MEMORY_BYTES = 64 * 1024 * 1024

const RE_EXPORT = 're-export it with openssl pkcs8 -topk8 -v2 aes-256-cbc.'
const WRONG_PASSPHRASE = 'Wrong passphrase.'

const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  scrypt: '1.3.6.1.4.1.11591.4.11',
  hmacWithSHA1: '1.2.840.113549.2.7',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pbeWithSHAAnd3KeyTripleDESCBC: '1.2.840.113549.1.12.1.3',
}

interface Cipher {
  /** node:crypto's (and openssl's) name. */
  name: string
  keyLength: number
  /** The IV length, which is the block size for CBC. */
  blockSize: number
}

const AES_128_CBC: Cipher = { name: 'aes-128-cbc', keyLength: 16, blockSize: 16 }
const AES_192_CBC: Cipher = { name: 'aes-192-cbc', keyLength: 24, blockSize: 16 }
const AES_256_CBC: Cipher = { name: 'aes-256-cbc', keyLength: 32, blockSize: 16 }
const DES_EDE3_CBC: Cipher = { name: 'des-ede3-cbc', keyLength: 24, blockSize: 8 }

const PBES2_CIPHERS: Record<string, Cipher> = {
  '2.16.840.1.101.3.4.1.2': AES_128_CBC,
  '2.16.840.1.101.3.4.1.22': AES_192_CBC,
  [OID.aes256Cbc]: AES_256_CBC,
  '1.2.840.113549.3.7': DES_EDE3_CBC,
}
/** Ciphers PBES2 may name that this app does not decrypt, by name for the message. */
const OTHER_CIPHER_NAMES: Record<string, string> = {
  '1.3.14.3.2.7': 'des-cbc',
  '1.2.840.113549.3.2': 'rc2-cbc',
  '2.16.840.1.101.3.4.1.6': 'aes-128-gcm',
  '2.16.840.1.101.3.4.1.46': 'aes-256-gcm',
  '1.2.410.200046.1.1.1': 'aria-128-cbc',
}

const PRFS: Record<string, { name: string; digest?: string }> = {
  [OID.hmacWithSHA1]: { name: 'hmacWithSHA1', digest: 'sha1' },
  '1.2.840.113549.2.8': { name: 'hmacWithSHA224', digest: 'sha224' },
  [OID.hmacWithSHA256]: { name: 'hmacWithSHA256', digest: 'sha256' },
  '1.2.840.113549.2.10': { name: 'hmacWithSHA384', digest: 'sha384' },
  '1.2.840.113549.2.11': { name: 'hmacWithSHA512', digest: 'sha512' },
  '1.2.840.113549.2.12': { name: 'hmacWithSHA512-224' },
  '1.2.840.113549.2.13': { name: 'hmacWithSHA512-256' },
  '1.2.643.7.1.1.4.2': { name: 'hmacWithStreebog512' },
}

/** PKCS#12 (RFC 7292 appendix C) and PKCS#5 v1 (PBES1) schemes: parameters { salt, iterations }. */
const LEGACY_SCHEMES: Record<string, { name: string; cipher?: Cipher }> = {
  [OID.pbeWithSHAAnd3KeyTripleDESCBC]: {
    name: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
    cipher: DES_EDE3_CBC,
  },
  '1.2.840.113549.1.12.1.1': { name: 'pbeWithSHAAnd128BitRC4' },
  '1.2.840.113549.1.12.1.2': { name: 'pbeWithSHAAnd40BitRC4' },
  '1.2.840.113549.1.12.1.4': { name: 'pbeWithSHAAnd2-KeyTripleDES-CBC' },
  '1.2.840.113549.1.12.1.5': { name: 'pbeWithSHAAnd128BitRC2-CBC' },
  '1.2.840.113549.1.12.1.6': { name: 'pbeWithSHAAnd40BitRC2-CBC' },
  '1.2.840.113549.1.5.1': { name: 'PBES1 MD2-DES (pbeWithMD2AndDES-CBC)' },
  '1.2.840.113549.1.5.3': { name: 'PBES1 MD5-DES (pbeWithMD5AndDES-CBC)' },
  '1.2.840.113549.1.5.4': { name: 'PBES1 MD2-RC2 (pbeWithMD2AndRC2-CBC)' },
  '1.2.840.113549.1.5.6': { name: 'PBES1 MD5-RC2 (pbeWithMD5AndRC2-CBC)' },
  '1.2.840.113549.1.5.10': { name: 'PBES1 SHA1-DES (pbeWithSHA1AndDES-CBC)' },
  '1.2.840.113549.1.5.11': { name: 'PBES1 SHA1-RC2 (pbeWithSHA1AndRC2-CBC)' },
}

/** Ciphers of OpenSSL's legacy PEM encryption (a DEK-Info header), by the name it writes. */
const LEGACY_PEM_CIPHERS: Record<string, Cipher> = {
  'AES-128-CBC': AES_128_CBC,
  'AES-192-CBC': AES_192_CBC,
  'AES-256-CBC': AES_256_CBC,
  'DES-EDE3-CBC': DES_EDE3_CBC,
}

/** An encryption AlgorithmIdentifier, read: what it names and every parameter a KDF needs. */
export interface EncryptionScheme {
  /** 'PBES2', the name of a PKCS#5 v1 / PKCS#12 scheme, or the OID of an unknown one. */
  scheme: string
  /** 'PBKDF2', 'scrypt' or an unknown KDF's OID (PBES2); 'PKCS#12' for the PKCS#12 schemes. */
  kdf?: string
  salt?: Buffer
  iterations?: number
  /** PBKDF2's PRF by name (or OID), and the digest it runs, when this app knows it. */
  prf?: string
  digest?: string
  scrypt?: { n: number; r: number; p: number }
  /** The key length the KDF parameters ask for, when they say. */
  keyLength?: number
  /** The cipher by name (or OID), and its parameters when this app decrypts it. */
  cipher?: string
  spec?: Cipher
  iv?: Buffer
}

/** Reads an AlgorithmIdentifier { scheme, parameters }; a damaged one is a KeyStructureError. */
export function readEncryptionScheme(algorithm: Asn1): EncryptionScheme {
  const schemeOid = oidOf(child(algorithm, 0))
  const params = child(algorithm, 1)
  if (schemeOid !== OID.pbes2) {
    const legacy = LEGACY_SCHEMES[schemeOid]
    return {
      scheme: legacy?.name ?? schemeOid,
      ...(legacy?.cipher && { kdf: 'PKCS#12', digest: 'sha1', spec: legacy.cipher }),
      ...(legacy && {
        salt: octetsOf(child(params, 0)),
        iterations: unsignedIntegerOf(child(params, 1)),
      }),
      ...(legacy?.cipher && { cipher: legacy.cipher.name }),
    }
  }
  const kdf = child(params, 0)
  const encryption = child(params, 1)
  const cipherOid = oidOf(child(encryption, 0))
  const spec = PBES2_CIPHERS[cipherOid]
  return {
    scheme: 'PBES2',
    ...readKeyDerivation(oidOf(child(kdf, 0)), child(kdf, 1)),
    cipher: spec?.name ?? OTHER_CIPHER_NAMES[cipherOid] ?? cipherOid,
    ...(spec && { spec, iv: octetsOf(child(encryption, 1)) }),
  }
}

function readKeyDerivation(kdfOid: string, params: Asn1): Partial<EncryptionScheme> {
  if (kdfOid === OID.pbkdf2) {
    // PBKDF2-params: salt, iterationCount, keyLength INTEGER OPTIONAL, prf DEFAULT hmacWithSHA1.
    const [salt, iterations, ...optional] = children(params)
    const keyLength = optional.find(isInteger)
    const prfId = optional.find(isSequence)
    const prfOid = prfId ? oidOf(child(prfId, 0)) : OID.hmacWithSHA1
    const prf = PRFS[prfOid]
    return {
      kdf: 'PBKDF2',
      salt: octetsOf(salt ?? params),
      iterations: unsignedIntegerOf(iterations ?? params),
      ...(keyLength && { keyLength: unsignedIntegerOf(keyLength) }),
      prf: prf?.name ?? prfOid,
      ...(prf?.digest && { digest: prf.digest }),
    }
  }
  if (kdfOid === OID.scrypt) {
    // scrypt-params (RFC 7914): salt, costParameter N, blockSize r, parallelization p, keyLength?
    const [salt, n, r, p, keyLength] = children(params)
    return {
      kdf: 'scrypt',
      salt: octetsOf(salt ?? params),
      scrypt: {
        n: unsignedIntegerOf(n ?? params),
        r: unsignedIntegerOf(r ?? params),
        p: unsignedIntegerOf(p ?? params),
      },
      ...(keyLength && { keyLength: unsignedIntegerOf(keyLength) }),
    }
  }
  return { kdf: kdfOid }
}

/** A KeyError for a key encrypted with something this app does not decrypt, naming it. */
function unsupported(what: string): KeyError {
  return new KeyError(
    'key_invalid',
    `This key is encrypted with ${what}, which this app does not read; ${RE_EXPORT}`,
  )
}

const count = (n: number) => n.toLocaleString('en-US')

/**
 * Refuses, before any KDF runs, a scheme this app cannot decrypt (named) and a cost that would
 * freeze the app; passes everything `decrypt` can run within its caps.
 */
export function assertDecryptable(scheme: EncryptionScheme): void {
  const { kdf, spec } = scheme
  if (scheme.scheme !== 'PBES2' && !spec) throw unsupported(scheme.scheme)
  if (kdf !== 'PBKDF2' && kdf !== 'scrypt' && kdf !== 'PKCS#12') {
    throw unsupported(`PBES2 with the key derivation ${kdf ?? 'unknown'}`)
  }
  if (kdf === 'PBKDF2' && !scheme.digest) {
    throw unsupported(`PBES2 with PBKDF2 and the PRF ${scheme.prf ?? 'unknown'}`)
  }
  if (!spec) throw unsupported(`PBES2 with the cipher ${scheme.cipher ?? 'unknown'}`)
  if (scheme.keyLength !== undefined && scheme.keyLength !== spec.keyLength) {
    throw new KeyStructureError('The KDF key length does not fit the cipher.')
  }
  if (kdf !== 'PKCS#12' && scheme.iv?.length !== spec.blockSize) {
    throw new KeyStructureError('The IV does not fit the cipher.')
  }
  assertAffordable(scheme)
}

/**
 * Refuses a KDF cost that would freeze the app, for any scheme that names one, whether or not this
 * app can decrypt it: callers check every cost in a file before the first KDF runs.
 */
export function assertAffordable(scheme: EncryptionScheme): void {
  if (scheme.scrypt) assertScryptAllowed(scheme.scrypt)
  else if (scheme.iterations !== undefined) {
    assertIterationsAllowed(scheme.iterations, scheme.scheme !== 'PBES2')
  }
}

/**
 * Refuses an iteration count of 0 (no tool writes it) and one above its KDF's cap: the PKCS#12
 * KDF's for the legacy schemes and the MAC, PBKDF2's otherwise.
 */
export function assertIterationsAllowed(iterations: number, pkcs12Kdf = false): void {
  if (iterations === 0) {
    throw new KeyError(
      'key_invalid',
      `This key's encryption asks for 0 iterations, which is not a valid setting; the file is damaged. To fix it, ${RE_EXPORT}`,
    )
  }
  const cap = pkcs12Kdf ? MAX_PKCS12_KDF_ITERATIONS : MAX_KDF_ITERATIONS
  if (iterations <= cap) return
  throw new KeyError(
    'key_invalid',
    `This key's encryption asks for ${count(iterations)} iterations; keys asking for more than ` +
      `${count(cap)} are refused so a damaged or hostile file cannot freeze the app. ` +
      "Re-export it with openssl's default settings.",
  )
}

function assertScryptAllowed({ n, r, p }: { n: number; r: number; p: number }): void {
  // N is a power of two above 1 (Math.log2, not bit operations, which stop at 32 bits).
  if (n < 2 || !Number.isInteger(Math.log2(n)) || r < 1 || p < 1) {
    throw new KeyStructureError('The scrypt parameters are not valid.')
  }
  const memory = 128 * n * r * p
  if (memory <= MAX_SCRYPT_MEMORY_BYTES) return
  const mib = (bytes: number) => `${count(Math.ceil(bytes / 2 ** 20))} MB`
  throw new KeyError(
    'key_invalid',
    `This key's scrypt encryption asks for N=${count(n)}, r=${count(r)}, p=${count(p)}, ` +
      `${mib(memory)} of work; keys asking for more than ${mib(MAX_SCRYPT_MEMORY_BYTES)} are ` +
      "refused so a damaged or hostile file cannot freeze the app. Re-export it with openssl's " +
      'default settings.',
  )
}

/**
 * Decrypts `ciphertext` as `scheme` says, after assertDecryptable. Returns undefined when the
 * padding is not PKCS#7: the passphrase is wrong (or the bytes were damaged).
 */
export function decrypt(
  scheme: EncryptionScheme,
  ciphertext: Buffer,
  passphrase: string,
  budget = new KdfBudget(),
): Buffer | undefined {
  assertDecryptable(scheme)
  const spec = scheme.spec as Cipher
  if (scheme.kdf === 'PKCS#12') {
    // An empty PKCS#12 password is written as the BMP terminator by some tools, as nothing by others.
    const variants =
      passphrase === '' ? (['terminated', 'bare'] as const) : (['terminated'] as const)
    for (const variant of variants) {
      const password = bmpPassword(passphrase, variant)
      const salt = scheme.salt as Buffer
      const iterations = scheme.iterations as number
      budget.pkcs12('sha1', iterations, spec.keyLength)
      const key = pkcs12Kdf('sha1', password, salt, iterations, 'key', spec.keyLength)
      budget.pkcs12('sha1', iterations, spec.blockSize)
      const iv = pkcs12Kdf('sha1', password, salt, iterations, 'iv', spec.blockSize)
      const plain = decipher(spec, key, iv, ciphertext)
      if (plain) return plain
    }
    return undefined
  }
  const key = deriveKey(scheme, spec.keyLength, passphrase, budget)
  return decipher(spec, key, scheme.iv as Buffer, ciphertext)
}

function deriveKey(
  scheme: EncryptionScheme,
  length: number,
  passphrase: string,
  budget: KdfBudget,
): Buffer {
  // OpenSSL feeds the passphrase's bytes to the KDF as they are; UTF-8 is what its terminal gives.
  const password = Buffer.from(passphrase, 'utf8')
  const salt = scheme.salt as Buffer
  if (scheme.scrypt) {
    const { n: N, r, p } = scheme.scrypt
    budget.scrypt(N, r, p)
    return scryptSync(password, salt, length, { N, r, p, maxmem: 2 * MAX_SCRYPT_MEMORY_BYTES })
  }
  const { iterations, digest } = scheme as { iterations: number; digest: string }
  budget.pbkdf2(digest, iterations, length)
  return pbkdf2Sync(password, salt, iterations, length, digest)
}

/** CBC decryption with the PKCS#7 padding checked here, so a wrong key reads as undefined. */
function decipher(spec: Cipher, key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer | undefined {
  if (ciphertext.length === 0 || ciphertext.length % spec.blockSize !== 0) {
    throw new KeyStructureError('The encrypted key is not a whole number of cipher blocks.')
  }
  const cipher = createDecipheriv(spec.name, key, iv).setAutoPadding(false)
  const padded = Buffer.concat([cipher.update(ciphertext), cipher.final()])
  key.fill(0)
  const pad = padded[padded.length - 1] as number
  if (pad < 1 || pad > spec.blockSize) return undefined
  for (let index = padded.length - pad; index < padded.length; index++) {
    if (padded[index] !== pad) return undefined
  }
  return padded.subarray(0, padded.length - pad)
}

/** True when `der` is a PrivateKeyInfo: SEQUENCE { INTEGER version, AlgorithmIdentifier, OCTET STRING, … }. */
export function isPrivateKeyInfo(der: Buffer): boolean {
  return hasShape(
    der,
    (nodes) => isInteger(nodes[0]) && isSequence(nodes[1]) && isOctetString(nodes[2]),
  )
}

/** True when `der` is a SEC1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING privateKey, … }. */
export function isEcPrivateKey(der: Buffer): boolean {
  return hasShape(der, (nodes) => isInteger(nodes[0]) && isOctetString(nodes[1]))
}

/** True when `der` is an EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier, OCTET STRING }. */
export function isEncryptedPrivateKeyInfo(der: Buffer): boolean {
  return hasShape(
    der,
    (nodes) => nodes.length === 2 && isSequence(nodes[0]) && isOctetString(nodes[1]),
  )
}

function hasShape(der: Buffer, test: (nodes: Asn1[]) => boolean): boolean {
  try {
    const root = parseDer(der)
    return isSequence(root) && test(children(root))
  } catch {
    return false
  }
}

/** An EncryptedPrivateKeyInfo { encryptionAlgorithm, encryptedData }, read but not decrypted. */
export interface EncryptedPrivateKeyInfo {
  scheme: EncryptionScheme
  ciphertext: Buffer
}

/** Reads a DER EncryptedPrivateKeyInfo; a damaged one is a KeyStructureError. */
export function readEncryptedPrivateKeyInfo(der: Buffer): EncryptedPrivateKeyInfo {
  const root = parseDer(der)
  return { scheme: readEncryptionScheme(child(root, 0)), ciphertext: octetsOf(child(root, 1)) }
}

/**
 * Decrypts an EncryptedPrivateKeyInfo to the DER PrivateKeyInfo inside. A PKCS#7 padding that does
 * not check out, or plaintext that is not a PrivateKeyInfo, means a wrong passphrase.
 */
export function decryptPrivateKeyInfo(
  { scheme, ciphertext }: EncryptedPrivateKeyInfo,
  passphrase: string,
  budget?: KdfBudget,
): Buffer {
  const plain = decrypt(scheme, ciphertext, passphrase, budget)
  if (!plain || !isPrivateKeyInfo(plain)) throw new KeyError('wrong_passphrase', WRONG_PASSPHRASE)
  return plain
}

/**
 * Decrypts the body of a PEM key under OpenSSL's legacy encryption (`Proc-Type: 4,ENCRYPTED` and a
 * `DEK-Info: CIPHER,IV` header), as `openssl ec -aes256` writes it, to the DER inside. The key is
 * EVP_BytesToKey: MD5 over the passphrase and the IV's first 8 bytes, one round.
 */
export function decryptLegacyPem(dekInfo: string, body: Buffer, passphrase: string): Buffer {
  const [cipherName = '', ivHex = ''] = dekInfo.split(',').map((part) => part.trim())
  const spec = LEGACY_PEM_CIPHERS[cipherName.toUpperCase()]
  if (!spec) throw unsupported(`OpenSSL's legacy PEM encryption with ${cipherName || 'no cipher'}`)
  if (!/^[0-9A-Fa-f]+$/.test(ivHex) || ivHex.length !== 2 * spec.blockSize) {
    throw new KeyStructureError('The DEK-Info IV does not fit the cipher.')
  }
  const iv = Buffer.from(ivHex, 'hex')
  const password = Buffer.from(passphrase, 'utf8')
  const parts: Buffer[] = []
  for (let last = Buffer.alloc(0), length = 0; length < spec.keyLength; length += last.length) {
    last = hash('md5', Buffer.concat([last, password, iv.subarray(0, 8)]), 'buffer')
    parts.push(last)
  }
  const plain = decipher(spec, Buffer.concat(parts).subarray(0, spec.keyLength), iv, body)
  if (!plain) throw new KeyError('wrong_passphrase', WRONG_PASSPHRASE)
  return plain
}
