// PBES2 encrypted PKCS#8 (RFC 8018), the form a managed private key travels in. Building: node:crypto
// derives the key and encrypts natively (node-forge's own PBKDF2 is pure JavaScript and takes
// seconds at 600,000 iterations), node-forge's ASN.1 writer lays out the structure, because
// node:crypto's export has no iteration-count option. Describing: reads the algorithm identifiers
// without the passphrase, so `payload inspect` can show how strongly an entry is protected.
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto'
import { type Asn1, child, integer, nul, octets, oid, parseDer, seq, toDer } from './asn1'
import { KeyError } from './errors'
import { readEncryptionScheme } from './key-encryption'
import { pemOf, scanPem } from './pem'

const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
}

/** How an encrypted private key is protected, as read from its algorithm identifiers. */
export interface KeyEncryption {
  /** 'PBES2', or the name of a legacy PKCS#5/PKCS#12 scheme. */
  scheme: string
  kdf?: string
  prf?: string
  iterations?: number
  /** scrypt's cost parameters, for a key whose PBES2 KDF is scrypt. */
  scrypt?: { n: number; r: number; p: number }
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

export function encryptedPkcs8Pem(der: Buffer): string {
  return pemOf(ENCRYPTED_LABEL, der)
}

/** The DER inside an encrypted PKCS#8 PEM, or undefined when the text is not one. */
export function encryptedPkcs8DerFromPem(pem: string): Buffer | undefined {
  try {
    const block = scanPem(pem).blocks.find((found) => found.label === ENCRYPTED_LABEL)
    return block && block.der.length > 0 ? block.der : undefined
  } catch (error) {
    if (error instanceof KeyError) return undefined
    throw error
  }
}

/** Reads the protection of a DER EncryptedPrivateKeyInfo without decrypting it. */
export function describeEncryptedPkcs8(der: Buffer): KeyEncryption {
  return describeEncryptionAlgorithm(child(parseDer(der), 0))
}

/** Reads a password-based encryption AlgorithmIdentifier { scheme, parameters }. */
export function describeEncryptionAlgorithm(algorithm: Asn1): KeyEncryption {
  const { scheme, kdf, prf, iterations, scrypt, cipher } = readEncryptionScheme(algorithm)
  return {
    scheme,
    ...(kdf !== undefined && { kdf }),
    ...(prf !== undefined && { prf }),
    ...(iterations !== undefined && { iterations }),
    ...(scrypt && { scrypt }),
    ...(cipher !== undefined && { cipher }),
  }
}
