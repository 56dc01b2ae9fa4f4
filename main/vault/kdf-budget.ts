// What reading one key may spend on key derivation, in all. Each KDF has its own cap on what a key
// may ask of it (key-encryption), but a PKCS#12 file runs several: its MAC, an encrypted
// SafeContents, the key bag, each at up to its cap. The budget is charged before each derivation
// runs and refuses the input once the next one would take it over, so no single input keeps the
// main process busy for more than a few seconds (issue 10: at most 5 s for any input).
//
// Units are about one native PBKDF2-HMAC-SHA-256 block iteration (~0.2 µs on a slow laptop core):
// SHA-384/512 cost about three, the PKCS#12 KDF (one hash per iteration, in JavaScript) about six.
import { KeyError } from './errors'

/** 5,000,000 PBKDF2-HMAC-SHA-512 iterations fit, as does openssl's `pkcs12 -legacy -iter 600000`. */
export const MAX_KDF_WORK = 16_000_000

const OUTPUT_BYTES: Record<string, number> = {
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
}
const DIGEST_WEIGHT: Record<string, number> = { sha384: 3, sha512: 3 }
const JAVASCRIPT_WEIGHT = 6

export class KdfBudget {
  #left = MAX_KDF_WORK

  /** PBKDF2 runs one HMAC chain of `iterations` per output block of its digest. */
  pbkdf2(digest: string, iterations: number, length: number): void {
    this.#charge(iterations * blocks(digest, length) * (DIGEST_WEIGHT[digest] ?? 1))
  }

  /** The PKCS#12 KDF runs one hash chain of `iterations` per output block, in JavaScript. */
  pkcs12(digest: string, iterations: number, length: number): void {
    this.#charge(
      iterations * blocks(digest, length) * JAVASCRIPT_WEIGHT * (DIGEST_WEIGHT[digest] ?? 1),
    )
  }

  /** scrypt's work grows with N·r·p; its memory cap keeps one run to about a million units. */
  scrypt(n: number, r: number, p: number): void {
    this.#charge(2 * n * r * p)
  }

  #charge(units: number): void {
    if (units > this.#left) {
      throw new KeyError(
        'key_invalid',
        'This key asks for more key-derivation work in all than this app allows, so a damaged or ' +
          "hostile file cannot freeze the app. Re-export it with openssl's default settings.",
      )
    }
    this.#left -= units
  }
}

function blocks(digest: string, length: number): number {
  return Math.ceil(length / (OUTPUT_BYTES[digest] ?? 20))
}
