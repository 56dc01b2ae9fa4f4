// Rewrites one INTEGER deep inside a key made by openssl, so a test key can ask for an iteration
// count that nothing ever runs a KDF at: making such a key for real would run the KDF at that count.
import { createHmac } from 'node:crypto'
import forge from 'node-forge'
import {
  type Asn1,
  child,
  children,
  contentTypeOf,
  dataOf,
  integer,
  octets,
  octetsOf,
  oidOf,
  parseDer,
  toDer,
  unsignedIntegerOf,
} from '../../../main/vault/asn1'
import { encryptPkcs8Der } from '../../../main/vault/pbes2'
import { bmpPassword, pkcs12Kdf } from '../../../main/vault/pkcs12-kdf'

/** In a PBES2 AlgorithmIdentifier: parameters → keyDerivationFunc → PBKDF2-params → count. */
export const PBKDF2_ITERATIONS = [1, 0, 1, 1]

const DATA = '1.2.840.113549.1.7.1'
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6'

/** Sets the INTEGER found by following `path` (child indexes) from `node`. */
export function setIntegerAt(node: Asn1, path: number[], value: number): void {
  path.reduce(child, node).value = integer(value).value
}

/** An encrypted PKCS#8 DER whose PBKDF2 asks for `iterations`. */
export function withPkcs8Iterations(der: Buffer, iterations: number): Buffer {
  const root = parseDer(der)
  setIntegerAt(child(root, 0), PBKDF2_ITERATIONS, iterations)
  return toDer(root)
}

/** A PKCS#12 file whose (first) shrouded key bag's PBKDF2 asks for `iterations`. */
export function withKeyBagIterations(p12: Buffer, iterations: number): Buffer {
  return rewriteAuthenticatedSafe(p12, (contentInfos) => {
    const keySafe = contentInfos.find((contentInfo) => contentTypeOf(contentInfo) === DATA)
    if (!keySafe) throw new Error('no unencrypted SafeContents in this PKCS#12 file')
    rewriteData(keySafe, (safeContents) => {
      const encryptedKeyInfo = child(child(child(safeContents, 0), 1), 0)
      setIntegerAt(child(encryptedKeyInfo, 0), PBKDF2_ITERATIONS, iterations)
    })
  })
}

/** A PKCS#12 file whose encrypted SafeContents (openssl puts the certificate there) asks for it. */
export function withEncryptedSafeIterations(p12: Buffer, iterations: number): Buffer {
  return rewriteAuthenticatedSafe(p12, (contentInfos) => {
    const encrypted = contentInfos.find((info) => contentTypeOf(info) === ENCRYPTED_DATA)
    if (!encrypted) throw new Error('no encrypted SafeContents in this PKCS#12 file')
    // ContentInfo → [0] EncryptedData → EncryptedContentInfo → contentEncryptionAlgorithm.
    const algorithm = [1, 0, 1, 1].reduce(child, encrypted)
    setIntegerAt(algorithm, PBKDF2_ITERATIONS, iterations)
  })
}

/** A PKCS#12 file whose MacData asks for `iterations`: PFX child 2, its child 2. */
export function withMacIterations(p12: Buffer, iterations: number): Buffer {
  const pfx = parseDer(p12)
  setIntegerAt(pfx, [2, 2], iterations)
  return toDer(pfx)
}

const MAC_DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
}

/**
 * The PKCS#12 file with its MAC computed afresh for `passphrase`, after a rewrite changed what the
 * MAC covers or its count: tests check with openssl that it accepts the result.
 */
export function withFreshMac(p12: Buffer, passphrase: string): Buffer {
  const pfx = parseDer(p12)
  const [digestInfo, salt, iterations] = children(child(pfx, 2)) as [Asn1, Asn1, Asn1]
  const digest = MAC_DIGESTS[oidOf(child(child(digestInfo, 0), 0))]
  if (!digest) throw new Error('a MAC digest this helper does not know')
  const length = digest === 'sha1' ? 20 : 32
  const count = unsignedIntegerOf(iterations)
  const key = pkcs12Kdf(digest, bmpPassword(passphrase), octetsOf(salt), count, 'mac', length)
  const mac = createHmac(digest, key)
    .update(dataOf(child(pfx, 1)))
    .digest()
  child(digestInfo, 1).value = mac.toString('binary')
  return toDer(pfx)
}

/**
 * A PKCS#12 file whose key bag sits inside an encrypted SafeContents (PBES2, 2,048 iterations), as
 * some tools write it, its own count set to `keyBagIterations` when given. Its MAC is stale: pass it
 * through withFreshMac.
 */
export function withKeyInEncryptedSafe(
  p12: Buffer,
  passphrase: string,
  keyBagIterations?: number,
): Buffer {
  return rewriteAuthenticatedSafe(p12, (contentInfos) => {
    const index = contentInfos.findIndex((contentInfo) => contentTypeOf(contentInfo) === DATA)
    const safeContents = parseDer(dataOf(contentInfos[index] as Asn1))
    if (keyBagIterations !== undefined) {
      const encryptedKeyInfo = child(child(child(safeContents, 0), 1), 0)
      setIntegerAt(child(encryptedKeyInfo, 0), PBKDF2_ITERATIONS, keyBagIterations)
    }
    const sealed = parseDer(encryptPkcs8Der(toDer(safeContents), passphrase, { iterations: 2048 }))
    const { asn1 } = forge
    const ciphertext = octetsOf(child(sealed, 1)).toString('binary')
    // ContentInfo { encryptedData, [0] EncryptedData { 0, { data, algorithm, [0] IMPLICIT bytes } } }
    contentInfos[index] = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(
        asn1.Class.UNIVERSAL,
        asn1.Type.OID,
        false,
        asn1.oidToDer(ENCRYPTED_DATA).getBytes(),
      ),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          integer(0),
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(DATA).getBytes()),
            child(sealed, 0),
            asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, ciphertext),
          ]),
        ]),
      ]),
    ])
  })
}

function rewriteAuthenticatedSafe(p12: Buffer, rewrite: (contentInfos: Asn1[]) => void): Buffer {
  const pfx = parseDer(p12)
  rewriteData(child(pfx, 1), (authenticatedSafe) => rewrite(children(authenticatedSafe)))
  return toDer(pfx)
}

/** Parses a data ContentInfo's content, lets `rewrite` change it, and puts it back. */
function rewriteData(contentInfo: Asn1, rewrite: (content: Asn1) => void): void {
  const content = parseDer(dataOf(contentInfo))
  rewrite(content)
  child(contentInfo, 1).value = [octets(toDer(content))]
}

/** Sets the OBJECT IDENTIFIER found by following `path` (child indexes) from `node`. */
export function setOidAt(node: Asn1, path: number[], id: string): void {
  path.reduce(child, node).value = forge.asn1.oidToDer(id).getBytes()
}

/** In a PBES2 AlgorithmIdentifier: the scheme, PBKDF2's PRF, the cipher, scrypt's N, r and p. */
export const PATHS = {
  scheme: [0],
  prf: [1, 0, 1, 2, 0],
  cipher: [1, 1, 0],
  scryptN: [1, 0, 1, 1],
  scryptR: [1, 0, 1, 2],
  scryptP: [1, 0, 1, 3],
}

/** An encrypted PKCS#8 DER with its AlgorithmIdentifier changed by `patch`. */
export function withAlgorithm(der: Buffer, patch: (algorithm: Asn1) => void): Buffer {
  const root = parseDer(der)
  patch(child(root, 0))
  return toDer(root)
}

/**
 * Turns a PBES2 AlgorithmIdentifier into the PKCS#5 v1 / PKCS#12 scheme `id`, whose parameters
 * are { salt, iterations }: PBKDF2's first two.
 */
export function asLegacyScheme(algorithm: Asn1, id: string): void {
  const [salt, iterations] = children([1, 0, 1].reduce(child, algorithm))
  algorithm.value = [
    forge.asn1.create(0, forge.asn1.Type.OID, false, forge.asn1.oidToDer(id).getBytes()),
    forge.asn1.create(0, forge.asn1.Type.SEQUENCE, true, [salt as Asn1, iterations as Asn1]),
  ]
}

/** Sets the INTEGER at `path` to a value forge cannot write itself (above 2^31 - 1). */
export function setBigIntegerAt(node: Asn1, path: number[], value: bigint): void {
  const hex = value.toString(16)
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')
  path.reduce(child, node).value = Buffer.concat([Buffer.of(0), bytes]).toString('binary')
}
