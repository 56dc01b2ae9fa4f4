// PBES2 encrypted PKCS#8 (RFC 8018), the form a managed private key travels in. Building: node:crypto
// derives the key and encrypts natively (node-forge's own PBKDF2 is pure JavaScript and takes
// seconds at 600,000 iterations), node-forge's ASN.1 writer lays out the structure, because
// node:crypto's export has no iteration-count option. Describing: reads the algorithm identifiers
// without the passphrase, so `payload inspect` can show how strongly an entry is protected.
//
// Describing also guards decrypting: a key may ask for any iteration count up to 2^31, and the KDF
// runs synchronously on the main process, so counts above MAX_KDF_ITERATIONS are refused first.
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto'
import {
  type Asn1,
  child,
  children,
  integer,
  nul,
  octets,
  oid,
  oidOf,
  parseDer,
  seq,
  toDer,
  unsignedIntegerOf,
} from './asn1'
import { KeyError } from './errors'

/**
 * The most KDF iterations a key may ask for: about 8× the 600,000 that DESIGN.md has the packager
 * use, which is a couple of seconds of PBKDF2 at worst. Without a cap a damaged or hostile file
 * asking for up to 2^31 blocks the main process for minutes or hours.
 */
export const MAX_KDF_ITERATIONS = 5_000_000

const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
}

const PRF_NAMES: Record<string, string> = {
  '1.2.840.113549.2.7': 'hmacWithSHA1',
  '1.2.840.113549.2.8': 'hmacWithSHA224',
  [OID.hmacWithSHA256]: 'hmacWithSHA256',
  '1.2.840.113549.2.10': 'hmacWithSHA384',
  '1.2.840.113549.2.11': 'hmacWithSHA512',
}
const CIPHER_NAMES: Record<string, string> = {
  '2.16.840.1.101.3.4.1.2': 'aes-128-cbc',
  '2.16.840.1.101.3.4.1.22': 'aes-192-cbc',
  [OID.aes256Cbc]: 'aes-256-cbc',
  '1.2.840.113549.3.7': 'des-ede3-cbc',
}
const LEGACY_SCHEME_NAMES: Record<string, string> = {
  '1.2.840.113549.1.12.1.3': 'pbeWithSHAAnd3-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.6': 'pbeWithSHAAnd40BitRC2-CBC',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
}

/** How an encrypted private key is protected, as read from its algorithm identifiers. */
export interface KeyEncryption {
  /** 'PBES2', or the name of a legacy PKCS#5/PKCS#12 scheme. */
  scheme: string
  kdf?: string
  prf?: string
  iterations?: number
  cipher?: string
}

export interface Pbes2Options {
  iterations: number
}

/** Encrypts a DER PrivateKeyInfo as PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC, fresh 16-byte salt. */
export function encryptPkcs8Der(
  pkcs8Der: Buffer,
  passphrase: string,
  { iterations }: Pbes2Options,
): Buffer {
  const salt = randomBytes(16)
  const iv = randomBytes(16)
  // OpenSSL feeds the passphrase's bytes to PBKDF2 as they are; UTF-8 is what its terminal gives.
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256')
  const cipher = createCipheriv('aes-256-cbc', key, iv)
  const encrypted = Buffer.concat([cipher.update(pkcs8Der), cipher.final()])
  key.fill(0)

  const algorithm = seq([
    oid(OID.pbes2),
    seq([
      seq([
        oid(OID.pbkdf2),
        seq([octets(salt), integer(iterations), seq([oid(OID.hmacWithSHA256), nul()])]),
      ]),
      seq([oid(OID.aes256Cbc), octets(iv)]),
    ]),
  ])
  return toDer(seq([algorithm, octets(encrypted)]))
}

/** The PEM label of an EncryptedPrivateKeyInfo (RFC 7468). */
const ENCRYPTED_LABEL = 'ENCRYPTED PRIVATE KEY'
const armor = (edge: 'BEGIN' | 'END') => `-----${edge} ${ENCRYPTED_LABEL}-----`
const ENCRYPTED_PEM = new RegExp(`${armor('BEGIN')}([A-Za-z0-9+/=\\s]+)${armor('END')}`)

export function encryptedPkcs8Pem(der: Buffer): string {
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')
  return `${armor('BEGIN')}\n${body}\n${armor('END')}\n`
}

/** The DER inside an encrypted PKCS#8 PEM, or undefined when the text is not one. */
export function encryptedPkcs8DerFromPem(pem: string): Buffer | undefined {
  const match = ENCRYPTED_PEM.exec(pem)
  if (!match?.[1]) return undefined
  const der = Buffer.from(match[1].replace(/\s+/g, ''), 'base64')
  return der.length > 0 ? der : undefined
}

/** Reads the protection of a DER EncryptedPrivateKeyInfo without decrypting it. */
export function describeEncryptedPkcs8(der: Buffer): KeyEncryption {
  return describeEncryptionAlgorithm(child(parseDer(der), 0))
}

/** Reads a password-based encryption AlgorithmIdentifier { scheme, parameters }. */
export function describeEncryptionAlgorithm(algorithm: Asn1): KeyEncryption {
  const scheme = oidOf(child(algorithm, 0))
  const params = child(algorithm, 1)
  if (scheme !== OID.pbes2) {
    // PBES1 and PKCS#12 schemes: parameters are { salt, iterations }.
    return {
      scheme: LEGACY_SCHEME_NAMES[scheme] ?? scheme,
      iterations: unsignedIntegerOf(child(params, 1)),
    }
  }
  const kdf = child(params, 0)
  const encryption = child(params, 1)
  const kdfParams = child(kdf, 1)
  const isPbkdf2 = oidOf(child(kdf, 0)) === OID.pbkdf2
  // PBKDF2-params: salt, iterationCount, keyLength INTEGER OPTIONAL, prf DEFAULT hmacWithSHA1.
  const prfId = children(kdfParams)
    .slice(2)
    .find((node) => Array.isArray(node.value))
  const prfOid = prfId ? oidOf(child(prfId, 0)) : '1.2.840.113549.2.7'
  const cipherOid = oidOf(child(encryption, 0))
  return {
    scheme: 'PBES2',
    kdf: isPbkdf2 ? 'PBKDF2' : oidOf(child(kdf, 0)),
    ...(isPbkdf2 && {
      prf: PRF_NAMES[prfOid] ?? prfOid,
      iterations: unsignedIntegerOf(child(kdfParams, 1)),
    }),
    cipher: CIPHER_NAMES[cipherOid] ?? cipherOid,
  }
}

/** Refuses a key that asks a KDF for more than MAX_KDF_ITERATIONS; call it before the KDF runs. */
export function assertKdfIterationsAllowed(iterations: number | undefined): void {
  if (iterations === undefined || iterations <= MAX_KDF_ITERATIONS) return
  const count = (n: number) => n.toLocaleString('en-US')
  throw new KeyError(
    'key_invalid',
    `This key's encryption asks for ${count(iterations)} iterations; keys asking for more than ` +
      `${count(MAX_KDF_ITERATIONS)} are refused so a damaged or hostile file cannot freeze the app. ` +
      "Re-export it with openssl's default settings.",
  )
}
