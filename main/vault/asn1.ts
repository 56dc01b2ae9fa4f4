// DER reading and writing over node-forge's ASN.1 model, for the key structures node:crypto cannot
// take apart (PKCS#12 containers, the algorithm identifiers of encrypted keys) or cannot write with
// a chosen iteration count. Every surprise in a structure is a KeyStructureError, so each caller
// decides once what a damaged file means to its user.
import type forge from 'node-forge'
import { lazyRequire } from '../lazy-require'

export type Asn1 = forge.asn1.Asn1

/** node-forge (some 40 files) is loaded when a key container is first read or written. */
const loadForge = lazyRequire<typeof forge>('node-forge')
const asn1 = (): typeof forge.asn1 => loadForge().asn1

/** The bytes are not the ASN.1 structure a key container should have. */
export class KeyStructureError extends Error {
  override name = 'KeyStructureError'
}

/**
 * BIT STRINGs stay opaque (forge would otherwise try to parse each one's content as ASN.1 too, once
 * per level of nesting), and nesting deeper than any key container needs is refused.
 */
const READ_OPTIONS = { strict: true, parseAllBytes: true, decodeBitStrings: false, maxDepth: 32 }
// forge reads these options; its type declarations only know the older boolean `strict` argument.
type FromDer = (bytes: string, options: typeof READ_OPTIONS) => Asn1
const fromDer: FromDer = (bytes, options) => (asn1().fromDer as unknown as FromDer)(bytes, options)

export function parseDer(der: Buffer): Asn1 {
  try {
    return fromDer(der.toString('binary'), { ...READ_OPTIONS })
  } catch {
    throw new KeyStructureError('The key data is not valid DER.')
  }
}

export function toDer(node: Asn1): Buffer {
  return Buffer.from(asn1().toDer(node).getBytes(), 'binary')
}

export function children(node: Asn1): Asn1[] {
  if (!Array.isArray(node.value)) throw new KeyStructureError('Unexpected key structure.')
  return node.value
}

export function child(node: Asn1, index: number): Asn1 {
  const found = children(node)[index]
  if (!found) throw new KeyStructureError('Unexpected key structure.')
  return found
}

export function oidOf(node: Asn1): string {
  if (node.type !== asn1().Type.OID || typeof node.value !== 'string') {
    throw new KeyStructureError('Unexpected key structure.')
  }
  return asn1().derToOid(node.value)
}

/**
 * An INTEGER's bytes read as an unsigned number, of any length. Iteration counts are positive, and
 * forge reads them unsigned: a count written as "negative" must not slip under a limit as one.
 */
export function unsignedIntegerOf(node: Asn1): number {
  if (node.type !== asn1().Type.INTEGER || typeof node.value !== 'string' || node.value === '') {
    throw new KeyStructureError('Unexpected key structure.')
  }
  return Number(BigInt(`0x${Buffer.from(node.value, 'binary').toString('hex')}`))
}

/** An OCTET STRING's bytes; BER may chunk them into a constructed string. */
export function octetsOf(node: Asn1): Buffer {
  if (node.tagClass !== asn1().Class.UNIVERSAL || node.type !== asn1().Type.OCTETSTRING) {
    throw new KeyStructureError('Unexpected key structure.')
  }
  return Buffer.from(octetBytes(node), 'binary')
}

/** True for a universal SEQUENCE. */
export const isSequence = (node: Asn1 | undefined): boolean =>
  node?.tagClass === asn1().Class.UNIVERSAL && node.type === asn1().Type.SEQUENCE

/** True for a universal OCTET STRING. */
export const isOctetString = (node: Asn1 | undefined): boolean =>
  node?.tagClass === asn1().Class.UNIVERSAL && node.type === asn1().Type.OCTETSTRING

/** True for a context-specific [tag], as optional fields are marked. */
export const isContextTag = (node: Asn1 | undefined, tag: number): boolean =>
  node?.tagClass === asn1().Class.CONTEXT_SPECIFIC && node.type === tag

/** True for a universal INTEGER. */
export const isInteger = (node: Asn1 | undefined): boolean =>
  node?.tagClass === asn1().Class.UNIVERSAL && node.type === asn1().Type.INTEGER

/** A ContentInfo's contentType. */
export function contentTypeOf(contentInfo: Asn1): string {
  return oidOf(child(contentInfo, 0))
}

/** The bytes of a PKCS#7 `data` ContentInfo: [0] EXPLICIT OCTET STRING, which BER may chunk. */
export function dataOf(contentInfo: Asn1): Buffer {
  return octetsOf(child(child(contentInfo, 1), 0))
}

function octetBytes(node: Asn1): string {
  if (typeof node.value === 'string') return node.value
  return node.value
    .map((chunk) => {
      if (chunk.type !== asn1().Type.OCTETSTRING)
        throw new KeyStructureError('Unexpected key structure.')
      return octetBytes(chunk)
    })
    .join('')
}

export const seq = (items: Asn1[]): Asn1 =>
  asn1().create(asn1().Class.UNIVERSAL, asn1().Type.SEQUENCE, true, items)
export const oid = (id: string): Asn1 =>
  asn1().create(asn1().Class.UNIVERSAL, asn1().Type.OID, false, asn1().oidToDer(id).getBytes())
export const octets = (bytes: Buffer): Asn1 =>
  asn1().create(asn1().Class.UNIVERSAL, asn1().Type.OCTETSTRING, false, bytes.toString('binary'))
export const integer = (value: number): Asn1 =>
  asn1().create(
    asn1().Class.UNIVERSAL,
    asn1().Type.INTEGER,
    false,
    asn1().integerToDer(value).getBytes(),
  )
export const nul = (): Asn1 => asn1().create(asn1().Class.UNIVERSAL, asn1().Type.NULL, false, '')
