// The bytes of a CSV file → its text, piece by piece as the file streams in. The encoding is UTF-8
// unless a byte order mark says UTF-16 (Excel's "Unicode text" and some Windows tools write that).
// Invalid text is refused, never replaced with U+FFFD: a serial changed that way would silently
// become another device.
import { isUtf8 } from 'node:buffer'

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be'

/** The text decoded before the bad bytes, so the caller can say on which line they are. */
export class InvalidTextError extends Error {
  override name = 'InvalidTextError'

  constructor(
    readonly encoding: TextEncoding,
    readonly validBefore: string,
  ) {
    super(`invalid ${encoding.toUpperCase()}`)
  }
}

export class CsvDecoder {
  #encoding: TextEncoding | undefined
  /** Bytes held back: the start of a character the next piece completes (or the BOM not yet seen). */
  #pending: Uint8Array = new Uint8Array(0)
  #utf16: InstanceType<typeof TextDecoder> | undefined

  get encoding(): TextEncoding {
    return this.#encoding ?? 'utf-8'
  }

  /** The text of `bytes` after what came before; throws InvalidTextError at the first bad byte. */
  decode(bytes: Uint8Array): string {
    let input = this.#pending.length > 0 ? Buffer.concat([this.#pending, bytes]) : bytes
    if (this.#encoding === undefined) {
      if (input.length < 3) {
        this.#pending = input
        return ''
      }
      input = this.#sniff(input)
    }
    return this.#decode(input, false)
  }

  /** The text held back at the end of the file (a character cut short there is invalid). */
  end(): string {
    const input = this.#encoding === undefined ? this.#sniff(this.#pending) : this.#pending
    return this.#decode(input, true)
  }

  #sniff(input: Uint8Array): Uint8Array {
    const [a, b, c] = input
    if (a === 0xef && b === 0xbb && c === 0xbf) {
      this.#encoding = 'utf-8'
      return input.subarray(3)
    }
    if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
      this.#encoding = a === 0xff ? 'utf-16le' : 'utf-16be'
      // Fatal: an unpaired surrogate is refused like invalid UTF-8.
      this.#utf16 = new TextDecoder('utf-16le', { fatal: true })
      return input.subarray(2)
    }
    this.#encoding = 'utf-8'
    return input
  }

  #decode(input: Uint8Array, final: boolean): string {
    this.#pending = new Uint8Array(0)
    return this.#utf16 ? this.#decodeUtf16(input, final) : this.#decodeUtf8(input, final)
  }

  #decodeUtf8(input: Uint8Array, final: boolean): string {
    const complete = final ? input.length : completeUtf8Length(input)
    const whole = input.subarray(0, complete)
    this.#pending = input.slice(complete)
    if (!isUtf8(whole)) {
      const bad = firstInvalidUtf8(whole)
      throw new InvalidTextError('utf-8', Buffer.from(whole.subarray(0, bad)).toString('utf8'))
    }
    return Buffer.from(whole.buffer, whole.byteOffset, whole.length).toString('utf8')
  }

  #decodeUtf16(input: Uint8Array, final: boolean): string {
    const even = final ? input.length : input.length - (input.length % 2)
    this.#pending = input.slice(even)
    // Big-endian is read as little-endian after swapping each pair (a copy: the stream owns input).
    const units =
      this.#encoding === 'utf-16be'
        ? Buffer.from(input.subarray(0, even)).swap16()
        : input.subarray(0, even)
    try {
      return this.#utf16!.decode(units, { stream: !final })
    } catch {
      throw new InvalidTextError(this.encoding, '')
    }
  }
}

/** How many leading bytes of `bytes` hold whole UTF-8 characters (a cut-off last one is left out). */
function completeUtf8Length(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!
    if (byte < 0x80) return bytes.length
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2
      return length > back ? bytes.length - back : bytes.length
    }
  }
  return bytes.length
}

/** Where the first byte that breaks UTF-8 is (only asked once isUtf8 said there is one). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i)
    if (length === 0) return i
    i += length
  }
  return bytes.length
}

function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!
  if (lead < 0x80) return 1
  const [length, min, max] =
    lead >= 0xc2 && lead <= 0xdf
      ? [2, 0x80, 0xbf]
      : lead === 0xe0
        ? [3, 0xa0, 0xbf]
        : lead === 0xed
          ? [3, 0x80, 0x9f]
          : lead >= 0xe1 && lead <= 0xef
            ? [3, 0x80, 0xbf]
            : lead === 0xf0
              ? [4, 0x90, 0xbf]
              : lead === 0xf4
                ? [4, 0x80, 0x8f]
                : lead >= 0xf1 && lead <= 0xf3
                  ? [4, 0x80, 0xbf]
                  : [0, 0, 0]
  if (length === 0 || i + length > bytes.length) return 0
  const second = bytes[i + 1]!
  if (second < min || second > max) return 0
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k]!
    if (next < 0x80 || next > 0xbf) return 0
  }
  return length
}
