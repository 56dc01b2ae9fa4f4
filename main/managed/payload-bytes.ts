// Turns the bytes of a managed-preferences file into its root value. One file may be JSON, an XML
// plist or a binary plist (MDM agents write either plist form), told apart by content, not by name.
// The plist readers are our own (binary-plist.ts, xml-plist.ts): they bound what a file may expand
// to before building it, and print nothing.
import { parseBinaryPlist } from './binary-plist'
import { PayloadFormatError } from './errors'
import { checkJsonLimits } from './plist-limits'
import { parseXmlPlist } from './xml-plist'

/** Larger payloads are refused unread: a few dozen keys fit in well under 100 KB. */
export const MAX_PAYLOAD_BYTES = 5 * 1024 * 1024

const BINARY_PLIST_MAGIC = Buffer.from('bplist00', 'latin1')

export function decodePayloadBytes(bytes: Buffer): unknown {
  if (bytes.length === 0) throw new PayloadFormatError('is empty')
  if (bytes.length > MAX_PAYLOAD_BYTES) {
    throw new PayloadFormatError(`is larger than ${MAX_PAYLOAD_BYTES / 1024 / 1024} MB`)
  }
  if (bytes.subarray(0, BINARY_PLIST_MAGIC.length).equals(BINARY_PLIST_MAGIC)) {
    return parseBinaryPlist(bytes)
  }
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
  if (text.startsWith('<')) return parseXmlPlist(text)
  if (text.startsWith('{') || text.startsWith('[')) {
    checkJsonLimits(text)
    return parseJson(text)
  }
  throw new PayloadFormatError('is neither a property list nor JSON')
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new PayloadFormatError('is not a complete JSON (truncated or damaged)')
  }
}
