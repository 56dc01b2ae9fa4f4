// PBES2 encrypted PKCS#8 (RFC 8018), the form a managed private key travels in. Building: node:crypto
// derives the key and encrypts natively (node-forge's own PBKDF2 is pure JavaScript and takes
// seconds at 600,000 iterations), node-forge's ASN.1 writer lays out the structure, because
// node:crypto's export has no iteration-count option. Describing: reads the algorithm identifiers
// without the passphrase, so `payload inspect` can show how strongly an entry is protected.
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto'
import forge from 'node-forge'

const { asn1 } = forge
const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pkcs12Data: '1.2.840.113549.1.7.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
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

export class KeyStructureError extends Error {
  override name = 'KeyStructureError'
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
  return Buffer.from(asn1.toDer(seq([algorithm, octets(encrypted)])).getBytes(), 'binary')
}

export function encryptedPkcs8Pem(der: Buffer): string {
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')
  return `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${body}\n-----END ENCRYPTED PRIVATE KEY-----\n`
}

/** The DER inside a `BEGIN ENCRYPTED PRIVATE KEY` PEM, or undefined when the text is not one. */
export function encryptedPkcs8DerFromPem(pem: string): Buffer | undefined {
  const match =
    /-----BEGIN ENCRYPTED PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END ENCRYPTED PRIVATE KEY-----/.exec(
      pem,
    )
  if (!match?.[1]) return undefined
  const der = Buffer.from(match[1].replace(/\s+/g, ''), 'base64')
  return der.length > 0 ? der : undefined
}

/** Reads the protection of a DER EncryptedPrivateKeyInfo without decrypting it. */
export function describeEncryptedPkcs8(der: Buffer): KeyEncryption {
  const root = parseDer(der)
  return describeAlgorithm(child(child(root, 0), 0), child(child(root, 0), 1))
}

/**
 * Reads the protection of the private key inside a PKCS#12 file without the passphrase: the key bag
 * sits in an unencrypted SafeContents (as openssl, macOS and Windows write it) and carries its own
 * EncryptedPrivateKeyInfo algorithm.
 */
export function describePkcs12(der: Buffer): KeyEncryption {
  const pfx = parseDer(der)
  const authSafe = contentOfData(child(pfx, 1))
  for (const contentInfo of children(authSafe)) {
    if (oidOf(child(contentInfo, 0)) !== OID.pkcs12Data) continue
    for (const bag of children(contentOfData(contentInfo))) {
      if (oidOf(child(bag, 0)) !== OID.pkcs8ShroudedKeyBag) continue
      const encryptedKeyInfo = child(child(bag, 1), 0)
      const algorithm = child(encryptedKeyInfo, 0)
      return describeAlgorithm(child(algorithm, 0), child(algorithm, 1))
    }
  }
  throw new KeyStructureError(
    'The PKCS#12 file holds no private key that can be read without the passphrase.',
  )
}

function describeAlgorithm(schemeOid: forge.asn1.Asn1, params: forge.asn1.Asn1): KeyEncryption {
  const scheme = oidOf(schemeOid)
  if (scheme !== OID.pbes2) {
    // PBES1 and PKCS#12 schemes: parameters are { salt, iterations }.
    return {
      scheme: LEGACY_SCHEME_NAMES[scheme] ?? scheme,
      iterations: integerOf(child(params, 1)),
    }
  }
  const kdf = child(params, 0)
  const encryption = child(params, 1)
  const kdfParams = child(kdf, 1)
  const isPbkdf2 = oidOf(child(kdf, 0)) === OID.pbkdf2
  // PBKDF2-params: salt, iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1.
  const prfId = children(kdfParams).find((node) => node.type === asn1.Type.SEQUENCE)
  const prfOid = prfId ? oidOf(child(prfId, 0)) : '1.2.840.113549.2.7'
  const cipherOid = oidOf(child(encryption, 0))
  return {
    scheme: 'PBES2',
    kdf: isPbkdf2 ? 'PBKDF2' : oidOf(child(kdf, 0)),
    ...(isPbkdf2 && {
      prf: PRF_NAMES[prfOid] ?? prfOid,
      iterations: integerOf(child(kdfParams, 1)),
    }),
    cipher: CIPHER_NAMES[cipherOid] ?? cipherOid,
  }
}

// --- DER helpers over node-forge's ASN.1 model -------------------------------------------------

function parseDer(der: Buffer): forge.asn1.Asn1 {
  try {
    return asn1.fromDer(der.toString('binary'), true)
  } catch {
    throw new KeyStructureError('The key data is not valid DER.')
  }
}

function children(node: forge.asn1.Asn1): forge.asn1.Asn1[] {
  if (!Array.isArray(node.value)) throw new KeyStructureError('Unexpected key structure.')
  return node.value
}

function child(node: forge.asn1.Asn1, index: number): forge.asn1.Asn1 {
  const found = children(node)[index]
  if (!found) throw new KeyStructureError('Unexpected key structure.')
  return found
}

function oidOf(node: forge.asn1.Asn1): string {
  if (node.type !== asn1.Type.OID || typeof node.value !== 'string') {
    throw new KeyStructureError('Unexpected key structure.')
  }
  return asn1.derToOid(node.value)
}

function integerOf(node: forge.asn1.Asn1): number {
  if (node.type !== asn1.Type.INTEGER || typeof node.value !== 'string') {
    throw new KeyStructureError('Unexpected key structure.')
  }
  return asn1.derToInteger(node.value)
}

/** The parsed content of a PKCS#7 `data` ContentInfo: [0] EXPLICIT OCTET STRING holding DER. */
function contentOfData(contentInfo: forge.asn1.Asn1): forge.asn1.Asn1 {
  const octetString = child(child(contentInfo, 1), 0)
  return parseDer(Buffer.from(octetBytes(octetString), 'binary'))
}

/** An OCTET STRING's bytes, also when BER wrote it constructed (in chunks). */
function octetBytes(node: forge.asn1.Asn1): string {
  if (typeof node.value === 'string') return node.value
  return node.value.map(octetBytes).join('')
}

const seq = (items: forge.asn1.Asn1[]) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items)
const oid = (id: string) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes())
const octets = (bytes: Buffer) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString('binary'))
const integer = (value: number) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes())
const nul = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')
