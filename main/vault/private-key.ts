// Reading the private key a user pastes, drops or picks, in any form Apple's key may have been kept
// in, and refusing everything that is not an EC P-256 private key with a message that says what it
// is instead. node:crypto parses and decrypts; node-forge only reads PKCS#12 containers.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import type { KeyInspection } from '../../preload/model'
import { KeyStructureError } from './asn1'
import { KeyError } from './errors'
import {
  assertKdfIterationsAllowed,
  describeEncryptedPkcs8,
  encryptedPkcs8DerFromPem,
} from './pbes2'
import { isPkcs12, privateKeyFromPkcs12 } from './pkcs12'

export { KeyError, type KeyErrorCode } from './errors'

export type KeyFormat = 'pkcs8' | 'sec1' | 'encrypted-pkcs8' | 'pkcs12'

export interface ParsedPrivateKey {
  format: KeyFormat
  keyObject: KeyObject
  /** The key as unencrypted PKCS#8 PEM: what goes to the keychain. */
  pkcs8Pem: string
  publicKeyFingerprint: string
}

export interface ParseOptions {
  passphrase?: string
  /** The picked or dropped file's name; a .p12 / .pfx name means a PKCS#12 file is expected. */
  fileName?: string
}

const APPLE_KEY = 'Apple issues EC P-256 keys.'
const NOT_A_KEY = 'This is not a PEM private key or a PKCS#12 file.'
const DAMAGED = 'The private key is damaged and could not be read.'
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g

/** PEM labels of private keys, and the format each is. */
const SUPPORTED_LABELS: Record<string, KeyFormat> = {
  'PRIVATE KEY': 'pkcs8',
  'EC PRIVATE KEY': 'sec1',
  'ENCRYPTED PRIVATE KEY': 'encrypted-pkcs8',
}

/** PEM labels that are not what Apple issues, and what to tell the user about each. */
const REFUSED_LABELS: Record<string, string> = {
  'RSA PRIVATE KEY': `This is an RSA key; ${APPLE_KEY}`,
  'DSA PRIVATE KEY': `This is a DSA key; ${APPLE_KEY}`,
  'OPENSSH PRIVATE KEY': `This is an OpenSSH key; ${APPLE_KEY}`,
  CERTIFICATE: 'This is a certificate, not a private key.',
  'X509 CERTIFICATE': 'This is a certificate, not a private key.',
  'TRUSTED CERTIFICATE': 'This is a certificate, not a private key.',
  'CERTIFICATE REQUEST': 'This is a certificate signing request, not a private key.',
  'NEW CERTIFICATE REQUEST': 'This is a certificate signing request, not a private key.',
  'PUBLIC KEY': 'This is a public key; the private key is needed.',
  'EC PUBLIC KEY': 'This is a public key; the private key is needed.',
  'RSA PUBLIC KEY': 'This is a public key; the private key is needed.',
}

/** Names of refused key types, by node:crypto's key type or curve name. */
const REFUSED_KEY_TYPES: Record<string, string> = {
  rsa: 'an RSA key',
  'rsa-pss': 'an RSA key',
  dsa: 'a DSA key',
  dh: 'a Diffie-Hellman key',
  ed25519: 'an Ed25519 key',
  ed448: 'an Ed448 key',
  x25519: 'an X25519 key',
  x448: 'an X448 key',
  secp384r1: 'a P-384 key',
  secp521r1: 'a P-521 key',
  secp256k1: 'a secp256k1 key',
}

export function parsePrivateKey(
  input: string | Buffer,
  options: ParseOptions = {},
): ParsedPrivateKey {
  if (input.length === 0) throw new KeyError('key_invalid', 'The file is empty.')
  if (typeof input !== 'string' && isPkcs12(input)) {
    return finish('pkcs12', privateKeyFromPkcs12(input, options.passphrase))
  }
  if (options.fileName && /\.(p12|pfx)$/i.test(options.fileName)) {
    throw new KeyError('key_invalid', 'This file is named like a PKCS#12 file but is not one.')
  }
  return parsePem(typeof input === 'string' ? input : input.toString('utf8'), options.passphrase)
}

/** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo (as openssl pkey -pubout | sha256sum). */
export function publicKeyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'public' ? key : createPublicKey(key)
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(spki).digest('hex')
}

/** What may be shown about a key: never the key itself. */
export function describeKey(key: ParsedPrivateKey): KeyInspection {
  return { format: key.format, curve: 'P-256', publicKeyFingerprint: key.publicKeyFingerprint }
}

function parsePem(input: string, passphrase?: string): ParsedPrivateKey {
  const text = input
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .trim()
  if (text.length === 0) throw new KeyError('key_invalid', 'The file is empty.')
  const blocks = [...text.matchAll(PEM_BLOCK)].map(([pem, label]) => ({ pem, label: label ?? '' }))
  // `openssl ecparam -genkey` writes an EC PARAMETERS block before the key; it carries nothing.
  const meaningful = blocks.filter((block) => block.label !== 'EC PARAMETERS')
  const keys = meaningful.filter((block) => block.label.endsWith('PRIVATE KEY'))
  if (keys.length > 1) {
    throw new KeyError(
      'key_invalid',
      'This file holds more than one private key; give one at a time.',
    )
  }
  const block = keys[0] ?? meaningful[0]
  if (!block) {
    throw new KeyError(
      'key_invalid',
      text.includes('-----BEGIN') ? 'The PEM text is cut off or damaged.' : NOT_A_KEY,
    )
  }
  const format = SUPPORTED_LABELS[block.label]
  if (!format) {
    throw new KeyError(
      'key_invalid',
      REFUSED_LABELS[block.label] ?? `This PEM file holds a ${block.label}, not a private key.`,
    )
  }
  if (format === 'encrypted-pkcs8') assertAffordableKdf(block.pem)
  // Legacy OpenSSL encryption of a SEC1 key announces itself in a Proc-Type header.
  const encrypted = format === 'encrypted-pkcs8' || block.pem.includes('Proc-Type: 4,ENCRYPTED')
  return finish(format, encrypted ? decryptPem(block.pem, passphrase) : readPem(block.pem))
}

function readPem(pem: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    throw new KeyError('key_invalid', DAMAGED)
  }
}

/** Refuses an iteration count that would block the app, before node:crypto runs the KDF. */
function assertAffordableKdf(pem: string): void {
  const der = encryptedPkcs8DerFromPem(pem)
  if (!der) throw new KeyError('key_invalid', DAMAGED)
  try {
    assertKdfIterationsAllowed(describeEncryptedPkcs8(der).iterations)
  } catch (error) {
    if (error instanceof KeyStructureError) throw new KeyError('key_invalid', DAMAGED)
    throw error
  }
}

function decryptPem(pem: string, passphrase?: string): KeyObject {
  if (!passphrase) {
    throw new KeyError('passphrase_required', 'This key is encrypted; enter its passphrase.')
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase })
  } catch {
    // A wrong passphrase shows up as a padding or an ASN.1 error depending on the decrypted bytes.
    throw new KeyError('wrong_passphrase', 'Wrong passphrase.')
  }
}

function finish(format: KeyFormat, keyObject: KeyObject): ParsedPrivateKey {
  assertP256(keyObject)
  return {
    format,
    keyObject,
    pkcs8Pem: keyObject.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyFingerprint: publicKeyFingerprint(keyObject),
  }
}

function assertP256(key: KeyObject): void {
  const type = key.asymmetricKeyType ?? 'unknown'
  const curve = key.asymmetricKeyDetails?.namedCurve
  if (type === 'ec' && curve === 'prime256v1') return
  const name = REFUSED_KEY_TYPES[type === 'ec' ? (curve ?? 'unknown') : type]
  const what =
    name ?? (type === 'ec' ? `an EC key on the ${curve ?? 'unknown'} curve` : 'another kind of key')
  throw new KeyError('key_invalid', `This is ${what}; ${APPLE_KEY}`)
}
