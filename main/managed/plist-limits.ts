// What a managed-preferences payload may expand to once read. A payload holds a few dozen entries
// of a few fields each, but a binary plist's objects may refer to one another any number of times
// (172 bytes can describe billions of values), and any format may nest without end. Every reader
// counts the values it builds against these limits and stops at the first one over, so a hostile
// file is refused in bounded time and memory instead of exhausting them.
import { PayloadFormatError } from './errors'

/** Values of every kind, each reference followed counted again. */
const MAX_PAYLOAD_VALUES = 100_000
/** Dictionaries and arrays inside one another (a .mobileconfig needs five). */
const MAX_PAYLOAD_DEPTH = 32

/** Counts the values one reader builds; throws once there are too many or they nest too deep. */
export class ValueBudget {
  #values = 0

  /** Call for every value built, with the depth it sits at (the root is at depth 0). */
  take(depth: number): void {
    if (++this.#values > MAX_PAYLOAD_VALUES) {
      throw new PayloadFormatError(
        `holds more than ${MAX_PAYLOAD_VALUES.toLocaleString('en-US')} values; a managed credentials payload holds a few hundred`,
      )
    }
    if (depth > MAX_PAYLOAD_DEPTH) {
      throw new PayloadFormatError(
        `nests dictionaries and arrays more than ${MAX_PAYLOAD_DEPTH} levels deep; a managed credentials payload needs a few`,
      )
    }
  }
}

/**
 * Sets `key` as an own property, also for keys such as `__proto__` that a plain assignment would
 * treat as the object's prototype.
 */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}

/**
 * Checks JSON text against the same limits before JSON.parse builds anything: one pass over its
 * structure (strings skipped), counting each container and each comma as a value.
 */
export function checkJsonLimits(text: string): void {
  const budget = new ValueBudget()
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x5b || c === 0x7b) {
      budget.take(depth++)
    } else if (c === 0x5d || c === 0x7d) {
      depth--
    } else if (c === 0x2c) {
      budget.take(depth)
    }
  }
}
