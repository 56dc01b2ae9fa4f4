// Reads payload files the way the app reads managed preferences, in a process of its own so a
// test can give it a memory budget (--max-old-space-size) and a deadline: a reader that expands a
// hostile file without bound kills this process, not the test runner. Arguments: the files. Prints
// one JSON line per file: what the reader made of it, and whether anything was printed meanwhile.
import { readFileSync } from 'node:fs'
import { decodePayloadBytes } from '../../main/managed/payload-bytes'
import { parseManagedPayload } from '../../main/managed/payload'

export interface PayloadOutcome {
  file: string
  /** `read`: a payload came out; `refused`: the reader said why not. */
  outcome: 'read' | 'refused' | 'crashed'
  message?: string
  entries?: number
  problems?: number
  /** Anything written to stdout or stderr (or through console) while reading. */
  printed: string
}

const write = process.stdout.write.bind(process.stdout)
let printed = ''
const capture = (chunk: string | Uint8Array): boolean => {
  printed += chunk.toString()
  return true
}
process.stdout.write = capture as typeof process.stdout.write
process.stderr.write = capture as typeof process.stderr.write

for (const file of process.argv.slice(2)) {
  printed = ''
  let result: Omit<PayloadOutcome, 'file' | 'printed'>
  try {
    const { entries, problems } = parseManagedPayload(decodePayloadBytes(readFileSync(file)))
    result = { outcome: 'read', entries: entries.length, problems: problems.length }
  } catch (error) {
    const refused = error instanceof Error && error.name === 'PayloadFormatError'
    result = refused
      ? { outcome: 'refused', message: error.message }
      : {
          outcome: 'crashed',
          message: error instanceof Error ? String(error.stack) : String(error),
        }
  }
  write(`${JSON.stringify({ file, ...result, printed } satisfies PayloadOutcome)}\n`)
}
