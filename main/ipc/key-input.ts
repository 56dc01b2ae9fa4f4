// Turns a KeyInput from the renderer (pasted text, dropped bytes or a picked file) into a parsed key,
// with `parse`: the services' KeyParser, which decrypts a key given with a passphrase off the main
// thread.
import type { KeyInput } from '../../preload/contract'
import type { KeyParser } from '../vault/parse-in-worker'
import type { ParsedPrivateKey } from '../vault/private-key'
import type { PickedFiles } from './picked-files'

export async function parseKeyInput(
  key: KeyInput,
  passphrase: string | undefined,
  picked: PickedFiles,
  parse: KeyParser,
): Promise<ParsedPrivateKey> {
  switch (key.kind) {
    case 'text':
      return parse(key.text, { passphrase })
    case 'binary':
      return parse(Buffer.from(key.base64, 'base64'), { passphrase, fileName: key.fileName })
    case 'picked': {
      const file = await picked.read(key.token)
      return parse(file.bytes, { passphrase, fileName: file.fileName })
    }
  }
}
