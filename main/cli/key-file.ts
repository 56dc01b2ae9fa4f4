// Reads a private key file for a CLI command. The passphrase of an encrypted key comes from env
// AXM_KEY_PASSPHRASE, else from a prompt on a terminal; never from the command line.
import { basename } from 'node:path'
import { KeyError } from '../vault/errors'
import { readKeyFileBytes, tooLargeForAKey } from '../vault/key-file-bytes'
import { parsePrivateKey, type ParsedPrivateKey } from '../vault/private-key'
import type { CliIO } from './io'

export async function readKeyFile(path: string, io: CliIO): Promise<ParsedPrivateKey> {
  const bytes = readBounded(path)
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

function readBounded(path: string): Buffer {
  const read = readKeyFileBytes(path)
  if (read.ok) return read.bytes
  const message =
    read.reason === 'too_large' ? tooLargeForAKey(basename(path)) : `Cannot read ${path}.`
  throw new KeyError('key_invalid', message)
}
