// A reader for XML property lists (Apple's PropertyList-1.0 DTD), as CoreFoundation, plistlib and
// MDM servers write them. One pass over the text with a stack of open dictionaries and arrays: no
// DOM, no recursion, every value counted (plist-limits.ts), and nothing printed; a malformed file
// is refused with the first problem and its line. Entity declarations (a DOCTYPE's internal
// subset) are not read, so no entity can expand.
import { PayloadFormatError } from './errors'
import { setOwn, ValueBudget } from './plist-limits'

type Leaf = 'key' | 'string' | 'data' | 'date' | 'integer' | 'real' | 'true' | 'false'
const LEAVES = new Set<string>([
  'key',
  'string',
  'data',
  'date',
  'integer',
  'real',
  'true',
  'false',
])

interface Container {
  kind: 'plist' | 'dict' | 'array'
  value: Record<string, unknown> | unknown[] | undefined
  /** In a dictionary: the key read, waiting for its value. */
  key?: string
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

export function parseXmlPlist(text: string): unknown {
  // XML reads every line break as a line feed (XML 1.0 §2.11), in text values too.
  return new XmlPlistReader(text.replace(/\r\n?/g, '\n')).read()
}

class XmlPlistReader {
  readonly #text: string
  readonly #budget = new ValueBudget()
  readonly #stack: Container[] = []
  #pos = 0
  #root: { value: unknown } | undefined
  #leaf: { name: Leaf; text: string } | undefined

  constructor(text: string) {
    this.#text = text
  }

  read(): unknown {
    const text = this.#text
    while (this.#pos < text.length) {
      const open = text.indexOf('<', this.#pos)
      const end = open === -1 ? text.length : open
      this.#characters(text.slice(this.#pos, end))
      if (open === -1) break
      this.#pos = open
      this.#markup()
    }
    if (!this.#root || this.#stack.length > 0 || this.#leaf) {
      throw this.#problem('it ends before its last element is closed (truncated)')
    }
    return this.#root.value
  }

  #markup(): void {
    const text = this.#text
    if (text.startsWith('<?', this.#pos)) return this.#skipPast('?>')
    if (text.startsWith('<!--', this.#pos)) return this.#skipPast('-->')
    if (text.startsWith('<![CDATA[', this.#pos)) {
      const end = this.#find(']]>')
      this.#characters(text.slice(this.#pos + 9, end), { raw: true })
      this.#pos = end + 3
      return
    }
    const close = this.#find('>')
    const tag = text.slice(this.#pos + 1, close)
    this.#pos = close + 1
    if (tag.startsWith('!DOCTYPE')) {
      if (tag.includes('['))
        throw this.#problem('its DOCTYPE declares entities, which are not read')
      return
    }
    const match = /^(\/?)([A-Za-z][\w.:-]*)[^]*?(\/?)$/.exec(tag)
    if (!match) throw this.#problem(`"<${tag.slice(0, 20)}>" is not an element`)
    const [, closing, name = '', selfClosing] = match
    if (closing) return this.#close(name)
    this.#open(name)
    if (selfClosing) this.#close(name)
  }

  #open(name: string): void {
    if (this.#leaf) throw this.#problem(`<${name}> inside <${this.#leaf.name}>`)
    if (name === 'plist') {
      if (this.#root || this.#stack.length > 0) throw this.#problem('a second <plist>')
      this.#stack.push({ kind: 'plist', value: undefined })
      return
    }
    const parent = this.#stack.at(-1)
    if (!parent) throw this.#problem(`<${name}> outside <plist>`)
    if (name === 'key') {
      if (parent.kind !== 'dict' || parent.key !== undefined) {
        throw this.#problem('a <key> where a value belongs')
      }
      this.#leaf = { name, text: '' }
      return
    }
    if (parent.kind === 'dict' && parent.key === undefined) {
      throw this.#problem(`<${name}> without a <key> before it`)
    }
    if (parent.kind === 'plist' && parent.value !== undefined) {
      throw this.#problem('a second value in <plist>')
    }
    this.#budget.take(this.#stack.length - 1)
    if (name === 'dict' || name === 'array') {
      this.#stack.push({ kind: name, value: name === 'dict' ? {} : [] })
    } else if (LEAVES.has(name)) {
      this.#leaf = { name: name as Leaf, text: '' }
    } else {
      throw this.#problem(`<${name}> is not a property list element`)
    }
  }

  #close(name: string): void {
    const leaf = this.#leaf
    if (leaf) {
      if (leaf.name !== name) throw this.#problem(`</${name}> closes <${leaf.name}>`)
      this.#leaf = undefined
      const parent = this.#stack.at(-1) as Container
      if (leaf.name === 'key') parent.key = leaf.text
      else this.#add(this.#leafValue(leaf.name, leaf.text))
      return
    }
    const container = this.#stack.pop()
    if (!container || container.kind !== name) {
      throw this.#problem(`</${name}> closes ${container ? `<${container.kind}>` : 'nothing'}`)
    }
    if (container.kind === 'plist') {
      this.#root = { value: container.value ?? null }
      return
    }
    if (container.key !== undefined) throw this.#problem(`<key>${container.key}</key> has no value`)
    this.#add(container.value)
  }

  #add(value: unknown): void {
    const parent = this.#stack.at(-1) as Container
    if (parent.kind === 'plist') parent.value = value as Container['value']
    else if (Array.isArray(parent.value)) parent.value.push(value)
    else if (parent.value && parent.key !== undefined) {
      setOwn(parent.value, parent.key, value)
      parent.key = undefined
    }
  }

  #characters(run: string, { raw = false } = {}): void {
    if (run === '') return
    if (this.#leaf) {
      this.#leaf.text += raw ? run : this.#decodeEntities(run)
    } else if (!/^\s*$/.test(run)) {
      throw this.#problem(`text "${run.trim().slice(0, 20)}" outside a value`)
    }
  }

  #decodeEntities(run: string): string {
    return run.replace(/&([^;&\s]{0,10});?/g, (whole, name: string) => {
      if (!whole.endsWith(';')) throw this.#problem('an "&" that starts no entity')
      const named = ENTITIES[name]
      if (named !== undefined && Object.hasOwn(ENTITIES, name)) return named
      const code = /^#x[0-9a-f]{1,6}$/i.test(name)
        ? parseInt(name.slice(2), 16)
        : /^#\d{1,7}$/.test(name)
          ? parseInt(name.slice(1), 10)
          : NaN
      if (!(code <= 0x10ffff)) throw this.#problem(`the unknown entity &${name};`)
      return String.fromCodePoint(code)
    })
  }

  #leafValue(name: Exclude<Leaf, 'key'>, text: string): unknown {
    switch (name) {
      case 'string':
        return text
      case 'true':
      case 'false':
        if (text.trim() !== '') throw this.#problem(`<${name}> holds text`)
        return name === 'true'
      case 'integer': {
        const digits = text.trim()
        if (!/^([+-]?\d+|0x[0-9a-f]+)$/i.test(digits)) {
          throw this.#problem(`<integer> holds "${text.slice(0, 20)}"`)
        }
        return Number(digits.replace(/^\+/, ''))
      }
      case 'real': {
        const digits = text.trim()
        const value = digits === '' ? NaN : Number(digits)
        if (Number.isNaN(value) && digits.toLowerCase() !== 'nan') {
          throw this.#problem(`<real> holds "${text.slice(0, 20)}"`)
        }
        return value
      }
      case 'date': {
        const value = new Date(text.trim())
        if (Number.isNaN(value.getTime()))
          throw this.#problem(`<date> holds "${text.slice(0, 30)}"`)
        return value
      }
      case 'data': {
        const base64 = text.replace(/\s+/g, '')
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw this.#problem('<data> that is not base64')
        return Buffer.from(base64, 'base64')
      }
    }
  }

  #skipPast(terminator: string): void {
    this.#pos = this.#find(terminator) + terminator.length
  }

  #find(terminator: string): number {
    const at = this.#text.indexOf(terminator, this.#pos)
    if (at === -1) throw this.#problem('it ends inside markup (truncated)')
    return at
  }

  #problem(what: string): PayloadFormatError {
    let line = 1
    for (
      let i = this.#text.indexOf('\n');
      i !== -1 && i < this.#pos;
      i = this.#text.indexOf('\n', i + 1)
    )
      line++
    return new PayloadFormatError(
      `is not a complete XML plist (truncated or damaged: line ${line}, ${what})`,
    )
  }
}
