// Turns the bytes of a managed-preferences file into its root value. One file may be JSON, an XML
// plist or a binary plist (MDM agents write either plist form), told apart by content, not by name.
import { parseBuffer } from 'bplist-parser'
import * as plist from 'plist'

/** Larger payloads are refused unread: a few dozen keys fit in well under 100 KB. */
export const MAX_PAYLOAD_BYTES = 5 * 1024 * 1024

export class PayloadFormatError extends Error {
  override name = 'PayloadFormatError'
}

const BINARY_PLIST_MAGIC = Buffer.from('bplist00', 'latin1')

export function decodePayloadBytes(bytes: Buffer): unknown {
  if (bytes.length === 0) throw new PayloadFormatError('is empty')
  if (bytes.subarray(0, BINARY_PLIST_MAGIC.length).equals(BINARY_PLIST_MAGIC)) {
    return decodeWith('binary plist', () => parseBuffer(bytes)[0])
  }
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
  if (text.startsWith('<')) return decodeWith('XML plist', () => plist.parse(text))
  if (text.startsWith('{') || text.startsWith('[')) {
    return decodeWith('JSON', () => JSON.parse(text) as unknown)
  }
  throw new PayloadFormatError('is neither a property list nor JSON')
}

function decodeWith(format: string, decode: () => unknown): unknown {
  try {
    return decode()
  } catch {
    throw new PayloadFormatError(`is not a complete ${format} (truncated or damaged)`)
  }
}
