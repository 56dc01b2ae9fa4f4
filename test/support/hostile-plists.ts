// Property lists built to exhaust a reader, byte by byte where plistlib would refuse to write them.

/** A binary plist: header, the objects as given, their offset table and the trailer. */
export function binaryPlist(objects: Buffer[], topObject = 0): Buffer {
  const header = Buffer.from('bplist00', 'latin1')
  const offsets: number[] = []
  let at = header.length
  for (const object of objects) {
    offsets.push(at)
    at += object.length
  }
  const offsetSize = at > 0xff ? 2 : 1
  const table = Buffer.alloc(offsets.length * offsetSize)
  offsets.forEach((offset, i) => table.writeUIntBE(offset, i * offsetSize, offsetSize))
  const trailer = Buffer.alloc(32)
  trailer.writeUInt8(offsetSize, 6)
  trailer.writeUInt8(1, 7)
  trailer.writeBigUInt64BE(BigInt(objects.length), 8)
  trailer.writeBigUInt64BE(BigInt(topObject), 16)
  trailer.writeBigUInt64BE(BigInt(at), 24)
  return Buffer.concat([header, ...objects, table, trailer])
}

/** An array object (under 15 items) of one-byte references. */
const arrayOf = (refs: number[]): Buffer => Buffer.from([0xa0 | refs.length, ...refs])

/**
 * The "DAG bomb": each of 8 arrays holds the next one 14 times over, so 170 bytes describe
 * 14⁸ (1.5 billion) empty strings once every reference is followed.
 */
export function dagBomb(): Buffer {
  const levels = 8
  const objects = Array.from({ length: levels }, (_, level) =>
    arrayOf(Array<number>(14).fill(level + 1)),
  )
  return binaryPlist([...objects, Buffer.from([0x50])])
}

/** A binary plist whose root array holds itself. */
export function selfContainingBinaryPlist(): Buffer {
  return binaryPlist([arrayOf([0])])
}

const XML_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n'

/** About `bytes` of an XML plist: one array of empty dictionaries. */
export function emptyDictionariesXml(bytes: number): Buffer {
  const count = Math.floor((bytes - 100) / 8)
  return Buffer.from(`${XML_HEAD}<array>${'<dict/>\n'.repeat(count)}</array>\n</plist>\n`)
}

/** An XML plist of arrays nested `depth` deep. */
export function deepXml(depth: number): Buffer {
  return Buffer.from(`${XML_HEAD}${'<array>'.repeat(depth)}${'</array>'.repeat(depth)}</plist>\n`)
}
