// Opens a managed entry's key with the passphrase the admin typed, and checks it is the key the
// payload says it is. Nothing is stored here: a failure leaves everything as it was.
import { parseInThread, type KeyParser } from '../vault/parse-in-worker'
import { KeyError, type ParsedPrivateKey } from '../vault/private-key'
import { ManagedImportError } from './errors'
import type { ManagedEntry } from './payload'

export async function decryptEntry(
  entry: ManagedEntry,
  passphrase: string,
  parse: KeyParser = parseInThread,
): Promise<ParsedPrivateKey> {
  const key = await openKey(entry, passphrase, parse)
  if (entry.publicKeyFingerprint && entry.publicKeyFingerprint !== key.publicKeyFingerprint) {
    throw new ManagedImportError(
      'key_invalid',
      `The private key of "${entry.name}" does not match the publicKeyFingerprint in the payload. ` +
        'Nothing was imported; ask whoever built the payload to check the entry.',
    )
  }
  return key
}

async function openKey(
  entry: ManagedEntry,
  passphrase: string,
  parse: KeyParser,
): Promise<ParsedPrivateKey> {
  try {
    return await parse(entry.keyMaterial, {
      passphrase,
      ...(entry.keyFormat === 'pkcs12' && { fileName: `${entry.id}.p12` }),
    })
  } catch (error) {
    if (!(error instanceof KeyError)) throw error
    if (error.code === 'key_invalid') {
      throw new ManagedImportError(
        'key_invalid',
        `The private key of "${entry.name}" cannot be used: ${error.message} Nothing was imported.`,
      )
    }
    if (error.code === 'passphrase_required') {
      throw new ManagedImportError(
        'passphrase_required',
        `Enter the passphrase for "${entry.name}". Nothing was imported.`,
      )
    }
    throw new ManagedImportError(
      'wrong_passphrase',
      `Wrong passphrase for "${entry.name}". Nothing was imported; try again.`,
    )
  }
}
