// PKCS#12 (.p12 / .pfx) files, opened with the same primitives as every other encrypted key:
// node-forge only reads the ASN.1, the MAC is checked with the PKCS#12 KDF and HMAC, and the
// SafeContents and key bags are decrypted by key-encryption. openssl, macOS and Windows keep the key
// bag in an unencrypted SafeContents; a key hidden inside an encrypted SafeContents is found by
// decrypting that first. Every KDF's cost is checked before it runs, wherever it sits: the MAC's,
// each encrypted SafeContents', each key bag's, also those a decrypted SafeContents holds.
import { createHmac, timingSafeEqual } from 'node:crypto'
import {
  type Asn1,
  child,
  children,
  contentTypeOf,
  dataOf,
  KeyStructureError,
  octetsOf,
  oidOf,
  parseDer,
  toDer,
  unsignedIntegerOf,
} from './asn1'
import { KeyError } from './errors'
import {
  assertAffordable,
  assertDecryptable,
  decrypt,
  decryptPrivateKeyInfo,
  type EncryptionScheme,
  isPrivateKeyInfo,
  readEncryptedPrivateKeyInfo,
  readEncryptionScheme,
} from './key-encryption'
import { describeEncryptedPkcs8, type KeyEncryption } from './pbes2'
import { KdfBudget } from './kdf-budget'
import { bmpPassword, pkcs12Kdf } from './pkcs12-kdf'

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
}
const KEY_BAG_TYPES = new Set<string>([OID.keyBag, OID.pkcs8ShroudedKeyBag])

/** The digests a PKCS#12 MAC may use (its DigestInfo algorithm), and their output length. */
const MAC_DIGESTS: Record<string, { digest: string; length: number }> = {
  '1.3.14.3.2.26': { digest: 'sha1', length: 20 },
  '2.16.840.1.101.3.4.2.4': { digest: 'sha224', length: 28 },
  '2.16.840.1.101.3.4.2.1': { digest: 'sha256', length: 32 },
  '2.16.840.1.101.3.4.2.2': { digest: 'sha384', length: 48 },
  '2.16.840.1.101.3.4.2.3': { digest: 'sha512', length: 64 },
}
const PBMAC1 = '1.2.840.113549.1.5.14'

const WRONG_PASSPHRASE = 'Wrong passphrase.'
const PASSPHRASE_NEEDED = 'This PKCS#12 file is encrypted; enter its passphrase.'
const DAMAGED = 'This PKCS#12 file is damaged and could not be read.'

interface KeyBag {
  type: string
  /** PrivateKeyInfo DER (keyBag) or EncryptedPrivateKeyInfo DER (pkcs8ShroudedKeyBag). */
  der: Buffer
}

/** MacData { mac DigestInfo { algorithm, digest }, macSalt, iterations INTEGER DEFAULT 1 }. */
interface MacData {
  digestOid: string
  expected: Buffer
  salt: Buffer
  iterations: number
}

interface Pfx {
  /** The AuthenticatedSafe's bytes, which the MAC covers. */
  authSafe: Buffer
  contentInfos: Asn1[]
  mac?: MacData
}

/** The password being tried, and the KDF work the whole file may still spend. */
interface Unlock {
  password: string
  budget: KdfBudget
}

/** An encrypted SafeContents: EncryptedData's algorithm and ciphertext. */
interface EncryptedSafe {
  scheme: EncryptionScheme
  ciphertext: Buffer
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
  const bag = readPfx(der)
    .contentInfos.filter(isOfType(OID.data))
    .flatMap(keyBagsIn)
    .find((keyBag) => keyBag.type === OID.pkcs8ShroudedKeyBag)
  if (!bag) {
    throw new KeyStructureError(
      'The PKCS#12 file holds no private key that can be read without the passphrase.',
    )
  }
  return describeEncryptedPkcs8(bag.der)
}

/** The DER PrivateKeyInfo of the one private key in a PKCS#12 file. */
export function privateKeyInfoFromPkcs12(bytes: Uint8Array, passphrase?: string): Buffer {
  const pfx = structured(() => readPfx(Buffer.from(bytes)))
  const plainBags = structured(() => pfx.contentInfos.filter(isOfType(OID.data)).flatMap(keyBagsIn))
  const safes = structured(() => pfx.contentInfos.filter(isOfType(OID.encryptedData)).map(safeOf))
  // Everything the file asks of a KDF that can be seen without the passphrase, before any KDF runs.
  structured(() => {
    if (pfx.mac) assertMacAllowed(pfx.mac)
    for (const safe of safes) assertAffordable(safe.scheme)
    for (const bag of plainBags) if (isShrouded(bag)) assertAffordable(schemeOf(bag))
  })

  // Some tools export without a password; try that before asking for one.
  const unlock = { password: passphrase ?? '', budget: new KdfBudget() }
  const macVerified = !pfx.mac || macMatches(pfx.authSafe, pfx.mac, unlock)
  if (!macVerified && passphrase === undefined) {
    throw new KeyError('passphrase_required', PASSPHRASE_NEEDED)
  }
  const { keyInfo, shrouded } = openKey(plainBags, safes, unlock)
  if (!macVerified && keyInfo) {
    // The MAC and the key answer to the same passphrase: a key that opens while the MAC fails means
    // the file was changed after it was made ("Mac verify error" in openssl). An unencrypted key bag
    // cannot tell the two apart.
    throw shrouded
      ? new KeyError(
          'key_invalid',
          'This PKCS#12 file is damaged: its integrity check (MAC) fails although the passphrase ' +
            'opens its key. Export the key again from where it came from.',
        )
      : new KeyError(
          'wrong_passphrase',
          'Wrong passphrase, or the PKCS#12 file is damaged (its integrity check fails).',
        )
  }
  if (!keyInfo) {
    throw passphrase === undefined
      ? new KeyError('passphrase_required', PASSPHRASE_NEEDED)
      : new KeyError('wrong_passphrase', WRONG_PASSPHRASE)
  }
  if (!isPrivateKeyInfo(keyInfo)) throw new KeyError('key_invalid', DAMAGED)
  return keyInfo
}

/**
 * The one key's PrivateKeyInfo, or undefined when the password does not open it; the key bag sits
 * in a plain SafeContents, or else in an encrypted one.
 */
function openKey(
  plainBags: KeyBag[],
  safes: EncryptedSafe[],
  unlock: Unlock,
): { keyInfo?: Buffer; shrouded: boolean } {
  const bags = plainBags.length > 0 || safes.length === 0 ? plainBags : hiddenKeyBags(safes, unlock)
  if (!bags) return { shrouded: true }
  const bag = onlyKey(bags)
  if (!isShrouded(bag)) return { keyInfo: bag.der, shrouded: false }
  const keyInfo = openKeyBag(bag, unlock)
  return { ...(keyInfo && { keyInfo }), shrouded: true }
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

const isShrouded = (bag: KeyBag) => bag.type === OID.pkcs8ShroudedKeyBag
const schemeOf = (bag: KeyBag) => readEncryptedPrivateKeyInfo(bag.der).scheme

/** The shrouded key bag's PrivateKeyInfo, or undefined when the passphrase does not open it. */
function openKeyBag(bag: KeyBag, { password, budget }: Unlock): Buffer | undefined {
  try {
    return structured(() =>
      decryptPrivateKeyInfo(readEncryptedPrivateKeyInfo(bag.der), password, budget),
    )
  } catch (error) {
    if (error instanceof KeyError && error.code === 'wrong_passphrase') return undefined
    throw error
  }
}

/**
 * Key bags inside encrypted SafeContents, whose own costs are checked once they can be seen; or
 * undefined when the password does not open them.
 */
function hiddenKeyBags(safes: EncryptedSafe[], { password, budget }: Unlock): KeyBag[] | undefined {
  const found: KeyBag[] = []
  for (const safe of safes) {
    structured(() => assertDecryptable(safe.scheme))
    const plain = structured(() => decrypt(safe.scheme, safe.ciphertext, password, budget))
    const bags = plain && readSafeContents(plain)
    if (!bags) return undefined
    for (const bag of bags) if (isShrouded(bag)) structured(() => assertAffordable(schemeOf(bag)))
    found.push(...bags)
  }
  return found
}

/** Decrypted bytes read as SafeContents, or undefined when they are not (a wrong passphrase). */
function readSafeContents(plain: Buffer): KeyBag[] | undefined {
  try {
    return bagsOf(parseDer(plain))
  } catch {
    return undefined
  }
}

function assertMacAllowed(mac: MacData): void {
  if (mac.digestOid === PBMAC1) {
    throw new KeyError(
      'key_invalid',
      'This PKCS#12 file is protected with PBMAC1, which this app does not read; ' +
        'export the key as PEM with openssl pkcs8 -topk8 -v2 aes-256-cbc.',
    )
  }
  if (!MAC_DIGESTS[mac.digestOid]) {
    throw new KeyError(
      'key_invalid',
      `This PKCS#12 file's integrity check uses the digest ${mac.digestOid}, which this app does ` +
        'not read; export the key as PEM with openssl pkcs8 -topk8 -v2 aes-256-cbc.',
    )
  }
  assertAffordable({ scheme: 'PKCS#12 MAC', kdf: 'PKCS#12', iterations: mac.iterations })
}

/** HMAC over the AuthenticatedSafe with the PKCS#12 KDF's MAC key, compared in constant time. */
function macMatches(
  authSafe: Buffer,
  mac: MacData,
  { password: passphrase, budget }: Unlock,
): boolean {
  const { digest, length } = MAC_DIGESTS[mac.digestOid] as { digest: string; length: number }
  if (mac.expected.length !== length) return false
  // An empty password is written as the BMP terminator by some tools, as nothing by others.
  const variants = passphrase === '' ? (['terminated', 'bare'] as const) : (['terminated'] as const)
  return variants.some((variant) => {
    const password = bmpPassword(passphrase, variant)
    budget.pkcs12(digest, mac.iterations, length)
    const key = pkcs12Kdf(digest, password, mac.salt, mac.iterations, 'mac', length)
    const actual = createHmac(digest, key).update(authSafe).digest()
    return timingSafeEqual(actual, mac.expected)
  })
}

/** PFX { version, authSafe ContentInfo (data) → AuthenticatedSafe, macData? }. */
function readPfx(der: Buffer): Pfx {
  const pfx = parseDer(der)
  const authSafeInfo = child(pfx, 1)
  if (contentTypeOf(authSafeInfo) !== OID.data) {
    throw new KeyStructureError('The PKCS#12 file is not protected by a password.')
  }
  const authSafe = dataOf(authSafeInfo)
  const macData = children(pfx)[2]
  return {
    authSafe,
    contentInfos: children(parseDer(authSafe)),
    ...(macData && { mac: macDataOf(macData) }),
  }
}

function macDataOf(macData: Asn1): MacData {
  const digestInfo = child(macData, 0)
  const iterations = children(macData)[2]
  return {
    digestOid: oidOf(child(child(digestInfo, 0), 0)),
    expected: octetsOf(child(digestInfo, 1)),
    salt: octetsOf(child(macData, 1)),
    iterations: iterations ? unsignedIntegerOf(iterations) : 1,
  }
}

/** ContentInfo → [0] EncryptedData { version, EncryptedContentInfo { type, algorithm, [0] content } }. */
function safeOf(contentInfo: Asn1): EncryptedSafe {
  const encryptedContentInfo = child(child(child(contentInfo, 1), 0), 1)
  const content = child(encryptedContentInfo, 2)
  // [0] IMPLICIT OCTET STRING: primitive bytes, or (in BER) a constructed run of OCTET STRINGs.
  const ciphertext =
    typeof content.value === 'string'
      ? Buffer.from(content.value, 'binary')
      : Buffer.concat(content.value.map(octetsOf))
  return { scheme: readEncryptionScheme(child(encryptedContentInfo, 1)), ciphertext }
}

/** A data ContentInfo holds SafeContents: a SEQUENCE OF SafeBag { bagId, [0] bagValue, attrs }. */
function keyBagsIn(contentInfo: Asn1): KeyBag[] {
  return bagsOf(parseDer(dataOf(contentInfo)))
}

function bagsOf(safeContents: Asn1): KeyBag[] {
  return children(safeContents)
    .map((safeBag) => ({ type: oidOf(child(safeBag, 0)), value: child(child(safeBag, 1), 0) }))
    .filter((bag) => KEY_BAG_TYPES.has(bag.type))
    .map((bag) => ({ type: bag.type, der: toDer(bag.value) }))
}

const isOfType = (oid: string) => (contentInfo: Asn1) => contentTypeOf(contentInfo) === oid

/** Runs a structural read; any surprise in the layout means the file is damaged. */
function structured<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof KeyError) throw error
    throw new KeyError('key_invalid', DAMAGED)
  }
}
