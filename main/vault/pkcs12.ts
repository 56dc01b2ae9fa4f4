// PKCS#12 (.p12 / .pfx) files. node:crypto cannot open the container, so node-forge reads its ASN.1;
// the key itself is decrypted by node:crypto, because forge runs the KDF in JavaScript (seconds at
// high iteration counts, on the main process) and cannot build EC keys. openssl, macOS and Windows
// keep the key bag in an unencrypted SafeContents; only a key hidden inside an encrypted
// SafeContents needs forge's own full decryption. Every iteration count the file declares is checked
// against the cap before any of these KDFs runs.
import { createPrivateKey, type KeyObject } from 'node:crypto'
import forge from 'node-forge'
import {
  type Asn1,
  child,
  children,
  contentTypeOf,
  dataOf,
  KeyStructureError,
  oidOf,
  parseDer,
  toDer,
  unsignedIntegerOf,
} from './asn1'
import { KeyError } from './errors'
import {
  assertKdfIterationsAllowed,
  describeEncryptedPkcs8,
  describeEncryptionAlgorithm,
  type KeyEncryption,
} from './pbes2'

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
}
const KEY_BAG_TYPES = new Set<string>([OID.keyBag, OID.pkcs8ShroudedKeyBag])

interface KeyBag {
  type: string
  /** PrivateKeyInfo DER (keyBag) or EncryptedPrivateKeyInfo DER (pkcs8ShroudedKeyBag). */
  der: Buffer
}

/** True for a DER PFX: a SEQUENCE whose first element is INTEGER 3 (the only PFX version). */
export function isPkcs12(bytes: Uint8Array): boolean {
  const lengthByte = bytes[1]
  if (bytes[0] !== 0x30 || lengthByte === undefined) return false
  // Short form keeps the length in this byte; long form (and BER's indefinite 0x80) follows it.
  const header = lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7f)
  return bytes[header] === 0x02 && bytes[header + 1] === 0x01 && bytes[header + 2] === 0x03
}

/**
 * Reads the protection of the private key inside a PKCS#12 file without the passphrase: the key bag
 * sits in an unencrypted SafeContents (as openssl, macOS and Windows write it) and carries its own
 * EncryptedPrivateKeyInfo algorithm.
 */
export function describePkcs12(der: Buffer): KeyEncryption {
  const bag = authenticatedSafe(parseDer(der))
    .filter(isOfType(OID.data))
    .flatMap(keyBagsIn)
    .find((keyBag) => keyBag.type === OID.pkcs8ShroudedKeyBag)
  if (!bag) {
    throw new KeyStructureError(
      'The PKCS#12 file holds no private key that can be read without the passphrase.',
    )
  }
  return describeEncryptedPkcs8(bag.der)
}

/** The one private key in a PKCS#12 file. */
export function privateKeyFromPkcs12(bytes: Uint8Array, passphrase?: string): KeyObject {
  const pfx = structured(() => parseDer(Buffer.from(bytes)))
  const contentInfos = structured(() => authenticatedSafe(pfx))
  const plainBags = structured(() => contentInfos.filter(isOfType(OID.data)).flatMap(keyBagsIn))
  for (const iterations of structured(() => kdfIterations(pfx, contentInfos, plainBags))) {
    assertKdfIterationsAllowed(iterations)
  }
  const hidden = plainBags.length === 0 && contentInfos.some(isOfType(OID.encryptedData))
  const bag = onlyKey(hidden ? keyBagsDecryptedByForge(pfx, passphrase) : plainBags)
  if (bag.type === OID.pkcs8ShroudedKeyBag) return decryptKeyBag(bag.der, passphrase)
  return structured(() => createPrivateKey({ key: bag.der, format: 'der', type: 'pkcs8' }))
}

function onlyKey(bags: KeyBag[]): KeyBag {
  const [bag, ...others] = bags
  if (!bag) throw new KeyError('key_invalid', 'This PKCS#12 file holds no private key.')
  if (others.length > 0) {
    throw new KeyError(
      'key_invalid',
      'This PKCS#12 file holds more than one private key; export the one key on its own.',
    )
  }
  return bag
}

function decryptKeyBag(der: Buffer, passphrase?: string): KeyObject {
  // Some tools export without a password; try that before asking for one.
  try {
    return createPrivateKey({
      key: der,
      format: 'der',
      type: 'pkcs8',
      passphrase: passphrase ?? '',
    })
  } catch {
    if (!passphrase) {
      throw new KeyError(
        'passphrase_required',
        'This PKCS#12 file is encrypted; enter its passphrase.',
      )
    }
    throw new KeyError('wrong_passphrase', 'Wrong passphrase.')
  }
}

/**
 * Every iteration count the file asks a KDF for: the MAC's and each encrypted SafeContents' (forge
 * runs those in JavaScript on the hidden-key path) and each shrouded key bag's (node:crypto).
 */
function kdfIterations(pfx: Asn1, contentInfos: Asn1[], bags: KeyBag[]): (number | undefined)[] {
  const encryptions = [
    ...contentInfos
      .filter(isOfType(OID.encryptedData))
      .map((contentInfo) => describeEncryptionAlgorithm(contentEncryptionAlgorithm(contentInfo))),
    ...bags
      .filter((bag) => bag.type === OID.pkcs8ShroudedKeyBag)
      .map((bag) => describeEncryptedPkcs8(bag.der)),
  ]
  return [macIterations(pfx), ...encryptions.map((encryption) => encryption.iterations)]
}

/** PFX child 2, when present: MacData { mac DigestInfo, macSalt, iterations INTEGER DEFAULT 1 }. */
function macIterations(pfx: Asn1): number | undefined {
  const macData = children(pfx)[2]
  if (!macData) return undefined
  const iterations = children(macData)[2]
  return iterations ? unsignedIntegerOf(iterations) : 1
}

/** ContentInfo → [0] EncryptedData { version, EncryptedContentInfo { type, algorithm, … } }. */
function contentEncryptionAlgorithm(contentInfo: Asn1): Asn1 {
  return child(child(child(child(contentInfo, 1), 0), 1), 1)
}

/**
 * Known gap: a shrouded key bag inside an encrypted SafeContents is only visible once forge has
 * decrypted that SafeContents, and forge then decrypts the bag too, at whatever count it asks.
 */
function keyBagsDecryptedByForge(pfxAsn1: Asn1, passphrase?: string): KeyBag[] {
  let pfx: forge.pkcs12.Pkcs12Pfx
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(pfxAsn1, false, passphrase ?? '')
  } catch (error) {
    if (error instanceof Error && /unsupported|not supported/i.test(error.message)) {
      throw new KeyError(
        'key_invalid',
        'This PKCS#12 file uses an encryption this app cannot read; export the key as a PEM file instead.',
      )
    }
    if (!passphrase) {
      throw new KeyError(
        'passphrase_required',
        'This PKCS#12 file is encrypted; enter its passphrase.',
      )
    }
    throw new KeyError('wrong_passphrase', 'Wrong passphrase.')
  }
  // Forge has decrypted these already: each is a PrivateKeyInfo now. It decodes RSA keys itself
  // and leaves any other key as ASN.1.
  return pfx.safeContents
    .flatMap((contents) => contents.safeBags)
    .filter((bag) => KEY_BAG_TYPES.has(bag.type))
    .map((bag) => ({
      type: OID.keyBag,
      der: toDer(
        bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1,
      ),
    }))
}

/** PFX → authSafe ContentInfo (data) → AuthenticatedSafe: a SEQUENCE OF ContentInfo. */
function authenticatedSafe(pfx: Asn1): Asn1[] {
  const authSafe = child(pfx, 1)
  if (contentTypeOf(authSafe) !== OID.data) {
    throw new KeyStructureError('The PKCS#12 file is not protected by a password.')
  }
  return children(parseDer(dataOf(authSafe)))
}

/** A data ContentInfo holds SafeContents: a SEQUENCE OF SafeBag { bagId, [0] bagValue, attrs }. */
function keyBagsIn(contentInfo: Asn1): KeyBag[] {
  return children(parseDer(dataOf(contentInfo)))
    .map((safeBag) => ({ type: oidOf(child(safeBag, 0)), value: child(child(safeBag, 1), 0) }))
    .filter((bag) => KEY_BAG_TYPES.has(bag.type))
    .map((bag) => ({ type: bag.type, der: toDer(bag.value) }))
}

const isOfType = (oid: string) => (contentInfo: Asn1) => contentTypeOf(contentInfo) === oid

/** Runs a structural read; any surprise in the layout means the file is damaged. */
function structured<T>(read: () => T): T {
  try {
    return read()
  } catch {
    throw new KeyError('key_invalid', 'This PKCS#12 file is damaged and could not be read.')
  }
}
