// A reader for Apple's binary property list format (`bplist00`), as CoreFoundation and python's
// plistlib write it: a header, the objects, a table of their offsets and a 32-byte trailer. Objects
// refer to each other by index, so a small file can describe an enormous value; every value built
// is counted (plist-limits.ts) and every offset, length and reference is checked against the file
// before it is followed, so a damaged or hostile file is refused with a reason instead of hanging.
import { PayloadFormatError } from './errors'
import { setOwn, ValueBudget } from './plist-limits'

const HEADER = Buffer.from('bplist00', 'latin1')
const TRAILER_BYTES = 32
/** Seconds from the Unix epoch to Apple's reference date, 2001-01-01T00:00:00Z. */
const APPLE_EPOCH_SECONDS = 978_307_200

function damaged(reason: string): PayloadFormatError {
  return new PayloadFormatError(`is not a complete binary plist (truncated or damaged: ${reason})`)
}

export function parseBinaryPlist(bytes: Buffer): unknown {
  if (bytes.length < HEADER.length + TRAILER_BYTES || !bytes.subarray(0, 8).equals(HEADER)) {
    throw damaged('too short, or no bplist00 header')
  }
  const trailer = bytes.subarray(bytes.length - TRAILER_BYTES)
  const offsetSize = trailer.readUInt8(6)
  const refSize = trailer.readUInt8(7)
  const objectCount = safeInteger(trailer.readBigUInt64BE(8))
  const topObject = safeInteger(trailer.readBigUInt64BE(16))
  const tableOffset = safeInteger(trailer.readBigUInt64BE(24))
  const tableEnd = bytes.length - TRAILER_BYTES
  if (!isIntSize(offsetSize) || !isIntSize(refSize)) throw damaged('bad integer sizes in trailer')
  if (
    objectCount < 1 ||
    topObject >= objectCount ||
    tableOffset < HEADER.length ||
    tableOffset + objectCount * offsetSize > tableEnd
  ) {
    throw damaged('truncated, or its trailer does not fit the file')
  }
  const reader = new ObjectReader(bytes, { offsetSize, refSize, objectCount, tableOffset })
  return reader.read(topObject, 0)
}

interface Layout {
  offsetSize: number
  refSize: number
  objectCount: number
  tableOffset: number
}

class ObjectReader {
  readonly #bytes: Buffer
  readonly #layout: Layout
  readonly #budget = new ValueBudget()
  /** The containers being read, to refuse an object that contains itself. */
  readonly #open = new Set<number>()

  constructor(bytes: Buffer, layout: Layout) {
    this.#bytes = bytes
    this.#layout = layout
  }

  read(index: number, depth: number): unknown {
    this.#budget.take(depth)
    const { offsetSize, tableOffset } = this.#layout
    const offset = this.#uint(tableOffset + index * offsetSize, offsetSize)
    if (offset < HEADER.length || offset >= tableOffset) throw damaged('an object lies outside it')
    const marker = this.#bytes.readUInt8(offset)
    const type = marker >> 4
    const info = marker & 0x0f
    switch (type) {
      case 0x0:
        return this.#simple(info)
      case 0x1:
        return this.#integer(offset + 1, info)
      case 0x2:
        return this.#real(offset + 1, info)
      case 0x3:
        if (info !== 3) throw damaged('a date of unknown size')
        return new Date(
          (this.#bytes.readDoubleBE(this.#within(offset + 1, 8)) + APPLE_EPOCH_SECONDS) * 1000,
        )
      case 0x4: {
        const { start, length } = this.#sized(offset, info, 1)
        return Buffer.from(this.#bytes.subarray(start, start + length))
      }
      case 0x5: {
        const { start, length } = this.#sized(offset, info, 1)
        return this.#bytes.toString('latin1', start, start + length)
      }
      case 0x6: {
        const { start, length } = this.#sized(offset, info, 2)
        return utf16be(this.#bytes.subarray(start, start + length))
      }
      case 0x8:
        return { UID: this.#uint(offset + 1, info + 1) }
      case 0xa:
      case 0xc:
        return this.#container(index, () => this.#array(offset, info, depth))
      case 0xd:
        return this.#container(index, () => this.#dictionary(offset, info, depth))
      default:
        throw damaged(`an object of unknown type 0x${marker.toString(16)}`)
    }
  }

  #simple(info: number): unknown {
    if (info === 0x0) return null
    if (info === 0x8) return false
    if (info === 0x9) return true
    throw damaged('an unknown constant')
  }

  #integer(start: number, power: number): number {
    if (power > 4) throw damaged('an integer of unknown size')
    const size = 2 ** power
    const at = this.#within(start, size)
    if (size === 16) return Number(BigInt.asIntN(128, readBig(this.#bytes, at, 16)))
    if (size === 8) return Number(this.#bytes.readBigInt64BE(at))
    return this.#bytes.readUIntBE(at, size)
  }

  #real(start: number, power: number): number {
    if (power === 2) return this.#bytes.readFloatBE(this.#within(start, 4))
    if (power === 3) return this.#bytes.readDoubleBE(this.#within(start, 8))
    throw damaged('a real number of unknown size')
  }

  /** Where a data, string or container object's content starts and how many bytes it spans. */
  #sized(offset: number, info: number, unitBytes: number): { start: number; length: number } {
    let count = info
    let start = offset + 1
    if (info === 0x0f) {
      const lengthMarker = this.#bytes.readUInt8(this.#within(start, 1))
      if (lengthMarker >> 4 !== 0x1) throw damaged('a length that is not an integer')
      const power = lengthMarker & 0x0f
      if (power > 3) throw damaged('a length of unknown size')
      count = this.#integer(start + 1, power)
      start += 1 + 2 ** power
    }
    if (count < 0) throw damaged('a negative length')
    return { start: this.#within(start, count * unitBytes), length: count * unitBytes }
  }

  #array(offset: number, info: number, depth: number): unknown[] {
    const { refSize } = this.#layout
    const { start, length } = this.#sized(offset, info, refSize)
    const items: unknown[] = []
    for (let at = start; at < start + length; at += refSize) {
      items.push(this.read(this.#ref(at), depth + 1))
    }
    return items
  }

  #dictionary(offset: number, info: number, depth: number): Record<string, unknown> {
    const { refSize } = this.#layout
    const { start, length } = this.#sized(offset, info, 2 * refSize)
    const count = length / (2 * refSize)
    const record: Record<string, unknown> = {}
    for (let i = 0; i < count; i++) {
      const key = this.read(this.#ref(start + i * refSize), depth + 1)
      if (typeof key !== 'string') throw damaged('a dictionary key that is not a string')
      const value = this.read(this.#ref(start + (count + i) * refSize), depth + 1)
      setOwn(record, key, value)
    }
    return record
  }

  #container<T>(index: number, read: () => T): T {
    if (this.#open.has(index)) throw damaged('an object that contains itself')
    this.#open.add(index)
    try {
      return read()
    } finally {
      this.#open.delete(index)
    }
  }

  #ref(at: number): number {
    const index = this.#uint(at, this.#layout.refSize)
    if (index >= this.#layout.objectCount) throw damaged('a reference to an object it lacks')
    return index
  }

  #uint(at: number, size: number): number {
    return safeInteger(readBig(this.#bytes, this.#within(at, size), size))
  }

  /** `start`, once `length` bytes from it are known to lie inside the file. */
  #within(start: number, length: number): number {
    if (start + length > this.#bytes.length) throw damaged('truncated')
    return start
  }
}

function isIntSize(size: number): boolean {
  return size >= 1 && size <= 8
}

function readBig(bytes: Buffer, at: number, size: number): bigint {
  let value = 0n
  for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(bytes[at + i] ?? 0)
  return value
}

function safeInteger(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw damaged('an offset or count out of range')
  return Number(value)
}

function utf16be(bytes: Buffer): string {
  const swapped = Buffer.from(bytes)
  swapped.swap16()
  return swapped.toString('utf16le')
}
