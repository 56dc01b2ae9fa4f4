import type { GivenKey } from './useCredentialForm'

const BINARY_KEY_FILE = /\.(p12|pfx)$/i

function toBase64(bytes: ArrayBuffer): string {
  let binary = ''
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** A dropped file as key input: PKCS#12 travels as bytes, anything else as the PEM text it holds. */
export async function readDroppedKey(file: File): Promise<GivenKey> {
  if (BINARY_KEY_FILE.test(file.name)) {
    const base64 = toBase64(await file.arrayBuffer())
    return { input: { kind: 'binary', base64, fileName: file.name }, label: file.name }
  }
  return { input: { kind: 'text', text: await file.text() }, label: file.name }
}
