// Reading the private key a user pastes, drops or picks, in any form Apple's key may have been kept
// in, and refusing everything that is not an EC P-256 private key with a message that says what it
// is instead. Encrypted keys are decrypted by key-encryption and pkcs12 with primitives BoringSSL
// has too; node:crypto is only ever handed an unencrypted PKCS#8 PrivateKeyInfo, in one place.
import {
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto'
import type { KeyInspection } from '../../preload/model'
import {
  child,
  children,
  integer,
  isContextTag,
  octets,
  oid,
  oidOf,
  parseDer,
  seq,
  toDer,
} from './asn1'
import { KeyError } from './errors'
import {
  assertDecryptable,
  decryptLegacyPem,
  decryptPrivateKeyInfo,
  readEncryptedPrivateKeyInfo,
  isEcPrivateKey,
  isEncryptedPrivateKeyInfo,
  isPrivateKeyInfo,
} from './key-encryption'
import { type PemBlock, scanPem } from './pem'
import { isPkcs12, privateKeyInfoFromPkcs12 } from './pkcs12'

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
const PASSPHRASE_NEEDED = 'This key is encrypted; enter its passphrase.'

/**
 * The most bytes of key input read at all: a private key is a few hundred bytes, a PKCS#12 file with
 * a certificate chain a few kilobytes. The file picker, drag and drop and the CLI use the same cap.
 */
export const MAX_KEY_INPUT_BYTES = 1024 * 1024

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
  if (input.length > MAX_KEY_INPUT_BYTES) {
    throw new KeyError(
      'key_invalid',
      'This is larger than 1 MB; a private key is a few hundred bytes, so it is not one.',
    )
  }
  const { passphrase } = options
  if (typeof input !== 'string' && isPkcs12(input)) {
    return finish('pkcs12', privateKeyInfoFromPkcs12(input, passphrase))
  }
  if (options.fileName && /\.(p12|pfx)$/i.test(options.fileName)) {
    throw new KeyError('key_invalid', 'This file is named like a PKCS#12 file but is not one.')
  }
  if (typeof input !== 'string' && input[0] === 0x30) return parseDerKey(input, passphrase)
  return parsePem(typeof input === 'string' ? input : input.toString('utf8'), passphrase)
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

/** A key file in DER, as openssl writes with -outform DER: PKCS#8, encrypted PKCS#8 or SEC1. */
function parseDerKey(der: Buffer, passphrase?: string): ParsedPrivateKey {
  if (isPrivateKeyInfo(der)) return finish('pkcs8', der)
  if (isEncryptedPrivateKeyInfo(der)) {
    return finish('encrypted-pkcs8', decryptPkcs8(der, passphrase))
  }
  if (isEcPrivateKey(der)) return finish('sec1', pkcs8OfSec1(der))
  throw new KeyError('key_invalid', NOT_A_KEY)
}

function parsePem(text: string, passphrase?: string): ParsedPrivateKey {
  // trim() takes the BOM too.
  if (text.trim() === '') throw new KeyError('key_invalid', 'The file is empty.')
  const { blocks, strays } = scanPem(text)
  // `openssl ecparam -genkey` writes an EC PARAMETERS block before the key; it carries nothing.
  const meaningful = blocks.filter((block) => block.label !== 'EC PARAMETERS')
  const keys = meaningful.filter((block) => block.label.endsWith('PRIVATE KEY'))
  if (keys.length > 1) {
    throw new KeyError(
      'key_invalid',
      'This text holds more than one private key; give one at a time.',
    )
  }
  // A key's BEGIN or END line that belongs to no whole block: the text was cut or run together.
  if (
    strays.some((label) => label.endsWith('PRIVATE KEY')) ||
    (!meaningful[0] && (strays[0] || text.includes('-----BEGIN')))
  ) {
    throw new KeyError('key_invalid', 'The PEM text is cut off or damaged.')
  }
  const block = keys[0] ?? meaningful[0]
  if (!block) throw new KeyError('key_invalid', NOT_A_KEY)
  const format = SUPPORTED_LABELS[block.label]
  if (!format) {
    throw new KeyError(
      'key_invalid',
      REFUSED_LABELS[block.label] ?? `This PEM file holds a ${block.label}, not a private key.`,
    )
  }
  if (format === 'encrypted-pkcs8') return finish(format, decryptPkcs8(block.der, passphrase))
  if (format === 'sec1') return finish(format, pkcs8OfSec1(sec1Der(block, passphrase)))
  return finish(format, block.der)
}

/** Refuses an unsupported scheme or an unaffordable cost before asking for the passphrase. */
function decryptPkcs8(der: Buffer, passphrase?: string): Buffer {
  const encrypted = readable(() => readEncryptedPrivateKeyInfo(der))
  readable(() => assertDecryptable(encrypted.scheme))
  if (!passphrase) throw new KeyError('passphrase_required', PASSPHRASE_NEEDED)
  return readable(() => decryptPrivateKeyInfo(encrypted, passphrase))
}

/** A SEC1 block's DER, decrypted first when OpenSSL's legacy PEM encryption protects it. */
function sec1Der(block: PemBlock, passphrase?: string): Buffer {
  const procType = block.headers.get('Proc-Type')
  if (procType === undefined) return block.der
  const dekInfo = block.headers.get('DEK-Info')
  if (procType.replace(/\s+/g, '') !== '4,ENCRYPTED' || !dekInfo) {
    throw new KeyError('key_invalid', 'The encryption headers of this key are damaged.')
  }
  if (!passphrase) throw new KeyError('passphrase_required', PASSPHRASE_NEEDED)
  const der = readable(() => decryptLegacyPem(dekInfo, block.der, passphrase))
  if (!isEcPrivateKey(der)) throw new KeyError('wrong_passphrase', 'Wrong passphrase.')
  return der
}

const EC_PUBLIC_KEY = '1.2.840.10045.2.1'

/**
 * Wraps a SEC1 ECPrivateKey in a PKCS#8 PrivateKeyInfo, naming the curve its [0] parameters name
 * (openssl always writes them), so node:crypto is handed one format only.
 */
function pkcs8OfSec1(der: Buffer): Buffer {
  const curve = readable(() => {
    const parameters = children(parseDer(der)).find((node) => isContextTag(node, 0))
    return parameters ? oidOf(child(parameters, 0)) : undefined
  })
  if (!curve) {
    throw new KeyError(
      'key_invalid',
      'This EC key does not say which curve it is on; re-export it with openssl ec.',
    )
  }
  return toDer(seq([integer(0), seq([oid(EC_PUBLIC_KEY), oid(curve)]), octets(der)]))
}

/** Runs a read of key structures; any structural surprise means the key is damaged. */
function readable<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof KeyError) throw error
    throw new KeyError('key_invalid', DAMAGED)
  }
}

/** The only place a KeyObject is made from key bytes: from an unencrypted PrivateKeyInfo. */
function keyObjectOf(privateKeyInfo: Buffer): KeyObject {
  if (!isPrivateKeyInfo(privateKeyInfo)) throw new KeyError('key_invalid', DAMAGED)
  try {
    return createPrivateKey({ key: privateKeyInfo, format: 'der', type: 'pkcs8' })
  } catch {
    throw new KeyError('key_invalid', DAMAGED)
  }
}

function finish(format: KeyFormat, privateKeyInfo: Buffer): ParsedPrivateKey {
  const keyObject = keyObjectOf(privateKeyInfo)
  assertP256(keyObject)
  const publicKey = derivedPublicKey(keyObject)
  return {
    format,
    keyObject,
    pkcs8Pem: keyObject.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyFingerprint: publicKeyFingerprint(publicKey),
  }
}

/**
 * The public key computed from the private scalar, refusing a key whose embedded public key is
 * another: a damaged scalar next to the original public key would show the original fingerprint
 * and then fail to sign anything Apple accepts.
 */
function derivedPublicKey(keyObject: KeyObject): KeyObject {
  const jwk = keyObject.export({ format: 'jwk' })
  const coordinate = (value: JsonWebKey['x']) => Buffer.from(value ?? '', 'base64url')
  let derived: Buffer
  try {
    const ecdh = createECDH('prime256v1')
    ecdh.setPrivateKey(coordinate(jwk.d))
    derived = ecdh.getPublicKey()
  } catch {
    throw new KeyError('key_invalid', DAMAGED)
  }
  const embedded = Buffer.concat([Buffer.of(0x04), coordinate(jwk.x), coordinate(jwk.y)])
  if (!derived.equals(embedded)) {
    throw new KeyError(
      'key_invalid',
      'The private key is damaged: its public key does not belong to its private part, so it ' +
        'could not sign. Copy the key again from the original file.',
    )
  }
  const x = derived.subarray(1, 33).toString('base64url')
  const y = derived.subarray(33).toString('base64url')
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' })
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
