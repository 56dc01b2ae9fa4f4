// PKCS#12 (.p12 / .pfx) files. node:crypto cannot open the container, so node-forge reads its ASN.1;
// the key itself is decrypted by node:crypto, because forge runs the KDF in JavaScript (seconds at
// high iteration counts, on the main process) and cannot build EC keys. openssl, macOS and Windows
// keep the key bag in an unencrypted SafeContents; only a key hidden inside an encrypted
// SafeContents needs forge's own full decryption.
import { createPrivateKey, type KeyObject } from 'node:crypto'
import forge from 'node-forge'
import { KeyError } from './errors'

type Asn1 = forge.asn1.Asn1

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

/** The one private key in a PKCS#12 file. */
export function privateKeyFromPkcs12(bytes: Uint8Array, passphrase?: string): KeyObject {
  const binary = Buffer.from(bytes).toString('binary')
  const contentInfos = structured(() => authenticatedSafe(forge.asn1.fromDer(binary, false)))
  const plainBags = structured(() => contentInfos.filter(isOfType(OID.data)).flatMap(keyBagsIn))
  const hidden = plainBags.length === 0 && contentInfos.some(isOfType(OID.encryptedData))
  const bag = onlyKey(hidden ? keyBagsDecryptedByForge(binary, passphrase) : plainBags)
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

function keyBagsDecryptedByForge(binary: string, passphrase?: string): KeyBag[] {
  let pfx: forge.pkcs12.Pkcs12Pfx
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(binary, false), false, passphrase ?? '')
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
  if (contentType(authSafe) !== OID.data) throw new Error('PFX not in password integrity mode')
  return children(forge.asn1.fromDer(dataOf(authSafe), false))
}

/** A data ContentInfo holds SafeContents: a SEQUENCE OF SafeBag { bagId, [0] bagValue, attrs }. */
function keyBagsIn(contentInfo: Asn1): KeyBag[] {
  return children(forge.asn1.fromDer(dataOf(contentInfo), false))
    .map((safeBag) => ({ type: oidOf(child(safeBag, 0)), value: child(child(safeBag, 1), 0) }))
    .filter((bag) => KEY_BAG_TYPES.has(bag.type))
    .map((bag) => ({ type: bag.type, der: toDer(bag.value) }))
}

const isOfType = (oid: string) => (contentInfo: Asn1) => contentType(contentInfo) === oid

function contentType(contentInfo: Asn1): string {
  return oidOf(child(contentInfo, 0))
}

/** The bytes of a ContentInfo's [0] OCTET STRING, which BER may split into chunks. */
function dataOf(contentInfo: Asn1): string {
  const octets = child(child(contentInfo, 1), 0)
  return Array.isArray(octets.value)
    ? octets.value.map((chunk) => (typeof chunk.value === 'string' ? chunk.value : '')).join('')
    : octets.value
}

function oidOf(node: Asn1): string {
  if (typeof node.value !== 'string') throw new Error('expected an OBJECT IDENTIFIER')
  return forge.asn1.derToOid(node.value)
}

function children(node: Asn1): Asn1[] {
  if (!Array.isArray(node.value)) throw new Error('expected a constructed ASN.1 value')
  return node.value
}

function child(node: Asn1, index: number): Asn1 {
  const found = children(node)[index]
  if (!found) throw new Error(`ASN.1 element ${index} is missing`)
  return found
}

function toDer(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary')
}

/** Runs a structural read; any surprise in the layout means the file is damaged. */
function structured<T>(read: () => T): T {
  try {
    return read()
  } catch {
    throw new KeyError('key_invalid', 'This PKCS#12 file is damaged and could not be read.')
  }
}
