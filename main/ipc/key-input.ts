// Turns a KeyInput from the renderer (pasted text, dropped bytes or a picked file) into a parsed key.
import type { KeyInput } from '../../preload/contract'
import { parsePrivateKey, type ParsedPrivateKey } from '../vault/private-key'
import type { PickedFiles } from './picked-files'

export async function parseKeyInput(
  key: KeyInput,
  passphrase: string | undefined,
  picked: PickedFiles,
): Promise<ParsedPrivateKey> {
  switch (key.kind) {
    case 'text':
      return parsePrivateKey(key.text, { passphrase })
    case 'binary':
      return parsePrivateKey(Buffer.from(key.base64, 'base64'), {
        passphrase,
        fileName: key.fileName,
      })
    case 'picked': {
      const file = await picked.read(key.token)
      return parsePrivateKey(file.bytes, { passphrase, fileName: file.fileName })
    }
  }
}
