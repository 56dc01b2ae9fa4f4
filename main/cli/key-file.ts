// Reads a private key file for a CLI command. The passphrase of an encrypted key comes from env
// AXM_KEY_PASSPHRASE, else from a prompt on a terminal; never from the command line.
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { KeyError } from '../vault/errors'
import { MAX_KEY_INPUT_BYTES, parsePrivateKey, type ParsedPrivateKey } from '../vault/private-key'
import type { CliIO } from './io'

export async function readKeyFile(path: string, io: CliIO): Promise<ParsedPrivateKey> {
  const bytes = await readBounded(path)
  const options = { fileName: basename(path), passphrase: io.env.AXM_KEY_PASSPHRASE }
  try {
    return parsePrivateKey(bytes, options)
  } catch (error) {
    if (!(error instanceof KeyError) || error.code !== 'passphrase_required' || !io.promptSecret) {
      throw error
    }
    const passphrase = await io.promptSecret(`Passphrase for ${basename(path)}: `)
    return parsePrivateKey(bytes, { ...options, passphrase })
  }
}

/**
 * At most the app's key size cap, and one byte more to tell that a file is larger: a key file is
 * never read whole before its size is known (a 600 MB file would otherwise fill the memory).
 */
async function readBounded(path: string): Promise<Buffer> {
  const buffer = Buffer.alloc(MAX_KEY_INPUT_BYTES + 1)
  let length = 0
  try {
    const file = await open(path, 'r')
    try {
      while (length < buffer.length) {
        const { bytesRead } = await file.read(buffer, length, buffer.length - length)
        if (bytesRead === 0) break
        length += bytesRead
      }
    } finally {
      await file.close()
    }
  } catch {
    throw new KeyError('key_invalid', `Cannot read ${path}.`)
  }
  if (length > MAX_KEY_INPUT_BYTES) {
    throw new KeyError(
      'key_invalid',
      `${basename(path)} is larger than 1 MB; it is not a private key.`,
    )
  }
  return buffer.subarray(0, length)
}
