// Text from the state file or from the user, printed on a terminal: a character that could move
// the cursor, recolour the screen, forge a line or reorder the text around it is printed as an
// escape (\u001B) instead. Names are refused such characters, but older records may hold them.
import { UNSAFE_TEXT } from '../../preload/rules'
import type { CliIO } from './io'

const UNSAFE = new RegExp(UNSAFE_TEXT.source, 'gu')

/** Each match is one UTF-16 unit: the controls and bidi characters are all in the BMP. */
const escaped = (character: string): string =>
  `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`

/** `text` with every unsafe character escaped; line breaks and tabs too unless `keepLines`. */
export function terminalSafe(text: string, { keepLines = false } = {}): string {
  return text.replace(UNSAFE, (character) =>
    keepLines && (character === '\n' || character === '\t') ? character : escaped(character),
  )
}

/**
 * `io` printing only terminal-safe text. Results keep their own line breaks (a table, a report);
 * each message is one line, so a name quoted in it cannot forge a second one.
 */
export function terminalSafeIO(io: CliIO): CliIO {
  return {
    ...io,
    stdout: (text) => io.stdout(terminalSafe(text, { keepLines: true })),
    stderr: (text) => io.stderr(terminalSafe(text)),
  }
}
