// Reading a private key file, bounded: at most the key size cap and one byte more, so a file is
// never read whole before its size is known (a 600 MB file picked by mistake would otherwise fill
// the memory). The CLI, the app's file dialog and the payload packager all read keys through here.
import { closeSync, openSync, readSync } from 'node:fs'
import { MAX_KEY_INPUT_BYTES } from './private-key'

export type KeyFileBytes =
  { ok: true; bytes: Buffer } | { ok: false; reason: 'unreadable' | 'too_large' }

export function readKeyFileBytes(path: string): KeyFileBytes {
  const buffer = Buffer.alloc(MAX_KEY_INPUT_BYTES + 1)
  let length = 0
  try {
    const fd = openSync(path, 'r')
    try {
      for (;;) {
        const bytesRead = readSync(fd, buffer, length, buffer.length - length, null)
        length += bytesRead
        if (bytesRead === 0 || length === buffer.length) break
      }
    } finally {
      closeSync(fd)
    }
  } catch {
    return { ok: false, reason: 'unreadable' }
  }
  if (length > MAX_KEY_INPUT_BYTES) return { ok: false, reason: 'too_large' }
  return { ok: true, bytes: buffer.subarray(0, length) }
}

/** The sentence a refusal for `too_large` ends in, the same wherever a key is read. */
export const tooLargeForAKey = (fileName: string): string =>
  `${fileName} is larger than 1 MB; it is not a private key.`
