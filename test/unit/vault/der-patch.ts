// Rewrites one INTEGER deep inside a key made by openssl, so a test key can ask for an iteration
// count that nothing ever runs a KDF at: making such a key for real would run the KDF at that count.
import {
  type Asn1,
  child,
  children,
  contentTypeOf,
  dataOf,
  integer,
  octets,
  parseDer,
  toDer,
} from '../../../main/vault/asn1'

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
