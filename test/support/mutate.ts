// Seeded mutation of test inputs: the same seed gives the same inputs on every run and machine, so
// a failure names an input that can be made again.

/** mulberry32: a small, fast, seedable PRNG; answers a float in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const INTERESTING = [
  '0',
  '-1',
  '18446744073709551616',
  '\u0000',
  '\u001b[2J',
  '\r\n',
  '"',
  ',',
  '<',
  '&',
  ']]>',
  '\u202e',
  '\ud800',
  '<dict>',
  '</array>',
  '<key>__proto__</key>',
  '=',
  '9'.repeat(40),
]

/** One mutation of `input`: bytes flipped, cut, repeated, spliced or replaced by awkward text. */
export function mutate(input: Buffer, random: () => number): Buffer {
  const at = (length = input.length) => Math.floor(random() * Math.max(length, 1))
  const pick = <T>(items: readonly T[]): T => items[at(items.length)] as T
  const bytes = Buffer.from(input)
  switch (at(7)) {
    case 0: {
      for (let i = 0, n = 1 + at(8); i < n; i++) bytes[at()] = Math.floor(random() * 256)
      return bytes
    }
    case 1:
      return bytes.subarray(0, at())
    case 2: {
      const start = at()
      const slice = bytes.subarray(start, start + 1 + at(64))
      return Buffer.concat([
        bytes.subarray(0, start),
        ...Array<Buffer>(2 + at(50)).fill(slice),
        bytes.subarray(start),
      ])
    }
    case 3: {
      const start = at()
      return Buffer.concat([bytes.subarray(0, start), bytes.subarray(start + 1 + at(32))])
    }
    case 4: {
      const start = at()
      return Buffer.concat([
        bytes.subarray(0, start),
        Buffer.from(pick(INTERESTING)),
        bytes.subarray(start),
      ])
    }
    case 5: {
      // A number in the text (a length, a revision, a date) changed.
      const text = bytes.toString('latin1')
      const numbers = [...text.matchAll(/\d+/g)]
      if (numbers.length === 0) return bytes
      const number = pick(numbers)
      const index = number.index
      return Buffer.from(
        text.slice(0, index) + pick(INTERESTING.slice(0, 3)) + text.slice(index + number[0].length),
        'latin1',
      )
    }
    default: {
      // A binary plist's trailer or offset table: the last 48 bytes.
      const start = Math.max(0, bytes.length - 48)
      bytes[start + at(bytes.length - start)] = Math.floor(random() * 256)
      return bytes
    }
  }
}
