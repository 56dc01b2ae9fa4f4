// The key derivation of PKCS#12 (RFC 7292, appendix B), which derives the MAC key and the keys of
// the legacy pbeWithSHAAnd… schemes. Neither OpenSSL's nor BoringSSL's API reaches Node, so it is
// built here from the hash alone; it runs one hash per iteration in JavaScript, so callers check
// the iteration count against MAX_PKCS12_KDF_ITERATIONS before they call it.
import { hash } from 'node:crypto'

export type Pkcs12Purpose = 'key' | 'iv' | 'mac'

const PURPOSE_ID: Record<Pkcs12Purpose, number> = { key: 1, iv: 2, mac: 3 }

/** Output and input block sizes in bytes of each digest the PKCS#12 KDF is used with. */
const SIZES: Record<string, { u: number; v: number }> = {
  sha1: { u: 20, v: 64 },
  sha224: { u: 28, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
}

export const isPkcs12KdfDigest = (digest: string): boolean => digest in SIZES

/**
 * The password as PKCS#12 feeds it to the KDF: UTF-16BE with a two-byte terminator. An empty
 * password is written either as the terminator alone or as nothing; `variant` picks.
 */
export function bmpPassword(
  passphrase: string,
  variant: 'terminated' | 'bare' = 'terminated',
): Buffer {
  if (passphrase === '' && variant === 'bare') return Buffer.alloc(0)
  const bytes = Buffer.from(`${passphrase}\0`, 'utf16le')
  return bytes.swap16()
}

export function pkcs12Kdf(
  digest: string,
  password: Buffer,
  salt: Buffer,
  iterations: number,
  purpose: Pkcs12Purpose,
  length: number,
): Buffer {
  const sizes = SIZES[digest]
  if (!sizes) throw new Error(`no PKCS#12 KDF block size for ${digest}`)
  const { v } = sizes
  const diversifier = Buffer.alloc(v, PURPOSE_ID[purpose])
  const input = Buffer.concat([repeatTo(salt, v), repeatTo(password, v)])
  const output: Buffer[] = []
  for (let produced = 0; produced < length;) {
    let block = hash(digest, Buffer.concat([diversifier, input]), 'buffer')
    for (let round = 1; round < iterations; round++) block = hash(digest, block, 'buffer')
    output.push(block)
    produced += block.length
    if (produced >= length) break
    // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block I_j of the input.
    const b = repeatTo(block, v, v)
    for (let offset = 0; offset < input.length; offset += v) {
      let carry = 1
      for (let index = v - 1; index >= 0; index--) {
        const sum = (input[offset + index] as number) + (b[index] as number) + carry
        input[offset + index] = sum & 0xff
        carry = sum >> 8
      }
    }
  }
  return Buffer.concat(output).subarray(0, length)
}

/** `bytes` repeated to the next multiple of `v` bytes (or to exactly `size`); empty stays empty. */
function repeatTo(bytes: Buffer, v: number, size = v * Math.ceil(bytes.length / v)): Buffer {
  const out = Buffer.alloc(size)
  for (let index = 0; index < size; index++) out[index] = bytes[index % bytes.length] as number
  return out
}
