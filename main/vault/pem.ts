// Reading PEM blocks out of text as people really hand it over: pasted from an email, a ticket or a
// chat, so indented, quoted with `>`, wrapped at another width, collapsed onto one line with the
// armour run into the body, with CRLF and a BOM. A block is accepted when its armour and its base64
// body can be recovered without guessing; anything else inside the body is refused, never skipped.
//
// Every step is linear in the text: one pass finds the armour lines, so a megabyte of `-----BEGIN`
// lines is refused as quickly as it is read.
import { KeyError } from './errors'

export interface PemBlock {
  /** The label between `-----BEGIN ` and `-----`, e.g. `PRIVATE KEY`. */
  label: string
  /** RFC 1421 headers before the body (legacy OpenSSL encryption writes Proc-Type and DEK-Info). */
  headers: Map<string, string>
  der: Buffer
}

export interface PemScan {
  blocks: PemBlock[]
  /** Labels of BEGIN or END lines that belong to no whole block: text cut off or run together. */
  strays: string[]
}

const DASHES = '-----'
/** RFC 7468 labels are short printable words; anything longer is not an armour line. */
const MAX_LABEL_LENGTH = 64
const LABEL = /^[A-Z0-9]+(?: [A-Z0-9]+)*$/
/** Indentation and email quoting at the start of a line: spaces, tabs, `>` at any depth. */
const LINE_PREFIX = /^[\s>]+/
const HEADER = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$/
const NOT_BASE64 = /[^A-Za-z0-9+/=\s]/

interface Marker {
  kind: 'BEGIN' | 'END'
  label: string
  /** Where the marker's first dash is, and just after its closing dashes. */
  start: number
  end: number
}

/** The PEM blocks in `text`, after undoing what mail, chat and editors do to pasted text. */
export function scanPem(text: string): PemScan {
  const clean = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(LINE_PREFIX, '').trimEnd())
    .join('\n')
  const blocks: PemBlock[] = []
  const strays: string[] = []
  const markers = markersIn(clean)
  for (let index = 0; index < markers.length; index++) {
    const begin = markers[index] as Marker
    const end = markers[index + 1]
    if (begin.kind === 'BEGIN' && end?.kind === 'END' && end.label === begin.label) {
      blocks.push(blockOf(begin.label, clean.slice(begin.end, end.start)))
      index++
    } else {
      strays.push(begin.label)
    }
  }
  return { blocks, strays }
}

/** The PEM text of `der` under `label`, in 64-character lines (RFC 7468). */
export function pemOf(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/(.{64})(?=.)/g, '$1\n')
  return `${DASHES}BEGIN ${label}${DASHES}\n${body}\n${DASHES}END ${label}${DASHES}\n`
}

/** One left-to-right pass: each `-----` is looked at once, as a marker's start or its end. */
function markersIn(text: string): Marker[] {
  const markers: Marker[] = []
  let at = text.indexOf(DASHES)
  while (at !== -1) {
    const kind = text.startsWith('BEGIN', at + 5)
      ? 'BEGIN'
      : text.startsWith('END', at + 5)
        ? 'END'
        : undefined
    const labelStart = at + 5 + (kind?.length ?? 0)
    const close = kind ? text.indexOf(DASHES, labelStart) : -1
    if (kind && close !== -1 && close - labelStart <= MAX_LABEL_LENGTH) {
      // An armour line may itself have been wrapped: whitespace inside the label is one space.
      const label = text.slice(labelStart, close).replace(/\s+/g, ' ').trim()
      if (LABEL.test(label)) {
        markers.push({ kind, label, start: at, end: close + 5 })
        at = text.indexOf(DASHES, close + 5)
        continue
      }
    }
    // Not a marker: a run of more dashes, or a BEGIN with no label. Look again one dash on.
    at = text.indexOf(DASHES, at + 1)
  }
  return markers
}

function blockOf(label: string, content: string): PemBlock {
  const lines = content.split('\n')
  const headers = new Map<string, string>()
  let first = 0
  while (first < lines.length && lines[first] === '') first++
  for (let match; (match = HEADER.exec(lines[first] ?? '')); first++) {
    headers.set(match[1] as string, (match[2] as string).trim())
  }
  const body = lines.slice(first).join('\n')
  const bad = NOT_BASE64.exec(body)
  if (bad) {
    const line = body.slice(0, bad.index).split('\n').length
    throw new KeyError(
      'key_invalid',
      body.includes(':')
        ? `The ${label} block has header lines that cannot be told apart from its body; ` +
            'paste it again with its line breaks as the file has them.'
        : `The ${label} block holds text that is not base64 (on line ${line} of its body); ` +
            'copy the key again from the original file.',
    )
  }
  const base64 = body.replace(/\s+/g, '')
  if (!/^[^=]*={0,2}$/.test(base64) || base64.replace(/=+$/, '').length % 4 === 1) {
    throw new KeyError('key_invalid', `The ${label} block is cut off or damaged.`)
  }
  return { label, headers, der: Buffer.from(base64, 'base64') }
}
