// Hostile and damaged keys (issue 10, "Also build"): seeded mutations of real keys made by openssl,
// in every form the app reads: PEM, DER, encrypted PKCS#8 of each scheme, PKCS#12. Each input must
// be refused with one of the vault's own messages, or accepted as the very key it came from. Every
// KDF the inputs make the vault run is recorded and held to its cap: that is the cost bound this
// suite asserts; the time each input takes is measured and the slowest are reported, not asserted.
import { execFileSync } from 'node:child_process'
import type * as Crypto from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { child, parseDer, toDer } from '../../../main/vault/asn1'
import {
  MAX_KDF_ITERATIONS,
  MAX_PKCS12_KDF_ITERATIONS,
  MAX_SCRYPT_MEMORY_BYTES,
} from '../../../main/vault/key-encryption'
import { pemOf } from '../../../main/vault/pem'
import { KeyError, parsePrivateKey } from '../../../main/vault/private-key'
import { makeKeySet, TEST_PASSPHRASE, type TestKeySet, armorLine } from '../../support/openssl-keys'
import {
  PATHS,
  PBKDF2_ITERATIONS,
  setBigIntegerAt,
  setIntegerAt,
  withEncryptedSafeIterations,
  withKeyBagIterations,
  withMacIterations,
} from './der-patch'
import { seededRandom } from '../../support/mutate'

/** Every KDF run, as asked of node:crypto and of the vault's own PKCS#12 KDF. */
const kdfRuns = vi.hoisted(() => ({
  pbkdf2: [] as number[],
  scrypt: [] as number[],
  pkcs12: [] as number[],
}))

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>()
  return {
    ...actual,
    pbkdf2Sync: (...args: Parameters<typeof actual.pbkdf2Sync>) => {
      kdfRuns.pbkdf2.push(args[2])
      return actual.pbkdf2Sync(...args)
    },
    scryptSync: (...args: Parameters<typeof actual.scryptSync>) => {
      const { N = 0, r = 0, p = 0 } = args[3] ?? {}
      kdfRuns.scrypt.push(128 * N * r * p)
      return actual.scryptSync(...args)
    },
  }
})

vi.mock('../../../main/vault/pkcs12-kdf', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../main/vault/pkcs12-kdf')>()
  return {
    ...actual,
    pkcs12Kdf: (...args: Parameters<typeof actual.pkcs12Kdf>) => {
      kdfRuns.pkcs12.push(args[3])
      return actual.pkcs12Kdf(...args)
    },
  }
})

/** The vault's refusals, as patterns; anything else (node:crypto's text, a stack) fails a case. */
const KNOWN_REFUSALS = [
  /^The file is empty\.$/,
  /^This is larger than 1 MB; a private key is a few hundred bytes, so it is not one\.$/,
  /^This file is named like a PKCS#12 file but is not one\.$/,
  /^This is not a PEM private key or a PKCS#12 file\.$/,
  /^This text holds more than one private key; give one at a time\.$/,
  /^The PEM text is cut off or damaged\.$/,
  /^The [A-Z0-9 ]+ block (is cut off or damaged\.|holds text that is not base64 \(on line \d+ of its body\); copy the key again from the original file\.|has header lines that cannot be told apart from its body; paste it again with its line breaks as the file has them\.)$/,
  /^This (is a certificate|is a certificate signing request), not a private key\.$/,
  /^This is a public key; the private key is needed\.$/,
  /^This PEM file holds an? [A-Z0-9 ]+, not a private key\.$/,
  /^This is (an?|another) [^;]+; Apple issues EC P-256 keys\.$/,
  /^The private key is damaged and could not be read\.$/,
  /^The private key is damaged: its public key does not belong to its private part, so it could not sign\. Copy the key again from the original file\.$/,
  /^This key is encrypted; enter its passphrase\.$/,
  /^Wrong passphrase\.$/,
  /^The encryption headers of this key are damaged\.$/,
  /^This EC key does not say which curve it is on; re-export it with openssl ec\.$/,
  /^This key is encrypted with [^;]+, which this app does not read; re-export it with openssl pkcs8 -topk8 -v2 aes-256-cbc\.$/,
  /^This key's encryption asks for 0 iterations, which is not a valid setting; the file is damaged\. To fix it, re-export it with openssl pkcs8 -topk8 -v2 aes-256-cbc\.$/,
  /^This key's encryption asks for [\d,]+ iterations; keys asking for more than [\d,]+ are refused so a damaged or hostile file cannot freeze the app\. Re-export it with openssl's default settings\.$/,
  /^This key's scrypt encryption asks for N=[\d,]+, r=[\d,]+, p=[\d,]+, [\d,]+ MB of work; keys asking for more than 64 MB are refused so a damaged or hostile file cannot freeze the app\. Re-export it with openssl's default settings\.$/,
  /^This key asks for more key-derivation work in all than this app allows, so a damaged or hostile file cannot freeze the app\. Re-export it with openssl's default settings\.$/,
  /^This PKCS#12 file is damaged and could not be read\.$/,
  /^This PKCS#12 file holds no private key\.$/,
  /^This PKCS#12 file holds more than one private key; export the one key on its own\.$/,
  /^This PKCS#12 file is encrypted; enter its passphrase\.$/,
  /^This PKCS#12 file is damaged: its integrity check \(MAC\) fails although the passphrase opens its key\. Export the key again from where it came from\.$/,
  /^Wrong passphrase, or the PKCS#12 file is damaged \(its integrity check fails\)\.$/,
  /^This PKCS#12 file (is protected with PBMAC1|'s integrity check uses the digest [\d.]+), which this app does not read; export the key as PEM with openssl pkcs8 -topk8 -v2 aes-256-cbc\.$/,
]

interface Case {
  name: string
  input: string | Buffer
}

interface Sample {
  name: string
  /** The sample as a file holds it, and its DER with the PEM label, when it is PEM. */
  input: string | Buffer
  der: Buffer
  label?: string
}

let keys: TestKeySet
let samples: Sample[]
const timings: { name: string; ms: number }[] = []
let peakRss = 0

function openssl(args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] })
}

function pemSample(name: string, path: string): Sample {
  const text = readFileSync(path, 'utf8')
  const label = /-----BEGIN ([A-Z ]+)-----/.exec(text)?.[1] as string
  const body = text.replace(/-----[^-]+-----|Proc-Type:.*|DEK-Info:.*|\s/g, '')
  return { name, input: text, der: Buffer.from(body, 'base64'), label }
}

function derSample(name: string, der: Buffer): Sample {
  return { name, input: der, der }
}

beforeAll(() => {
  keys = makeKeySet(2048)
  const out = (name: string) => join(keys.dir, name)
  const pass = ['-passout', `pass:${TEST_PASSPHRASE}`]
  const encrypt = (name: string, args: string[]) => {
    openssl(['pkcs8', '-topk8', ...args, '-in', keys.pkcs8, '-out', out(name), ...pass])
    return pemSample(name, out(name))
  }
  openssl(['ec', '-in', keys.pkcs8, '-aes256', '-out', out('legacy.pem'), ...pass])
  const legacyP12 = out('legacy.p12')
  openssl([
    'pkcs12',
    '-export',
    '-legacy',
    '-inkey',
    keys.pkcs8,
    '-in',
    keys.certificate,
    '-out',
    legacyP12,
    ...pass,
  ])
  samples = [
    pemSample('PKCS#8 PEM', keys.pkcs8),
    pemSample('SEC1 PEM', keys.sec1),
    derSample(
      'PKCS#8 DER',
      openssl(['pkcs8', '-topk8', '-nocrypt', '-in', keys.pkcs8, '-outform', 'DER']),
    ),
    derSample('SEC1 DER', openssl(['ec', '-in', keys.pkcs8, '-outform', 'DER'])),
    pemSample('PBES2 AES-256 SHA-256', keys.encryptedPkcs8),
    encrypt('sha512.pem', ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA512', '-iter', '2048']),
    encrypt('des3.pem', ['-v2', 'des3', '-iter', '2048']),
    encrypt('scrypt.pem', ['-scrypt', '-scrypt_N', '1024', '-scrypt_r', '8', '-scrypt_p', '1']),
    encrypt('v1.pem', ['-v1', 'PBE-SHA1-3DES', '-iter', '2048']),
    pemSample('legacy PEM AES-256', out('legacy.pem')),
    derSample('PKCS#12', readFileSync(keys.pkcs12)),
    derSample('PKCS#12 legacy', readFileSync(legacyP12)),
  ]
})

afterAll(() => {
  rmSync(keys.dir, { recursive: true, force: true })
  const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 5)
  console.info(
    `key-adversarial: ${timings.length} inputs; peak RSS ${Math.round(peakRss / 2 ** 20)} MB; slowest: ` +
      slowest.map(({ name, ms }) => `${name} ${ms.toFixed(0)} ms`).join(', '),
  )
})

/** Runs one input; asserts a known refusal or the original key, and records how long it took. */
function check({ name, input }: Case): void {
  const started = performance.now()
  let outcome: { fingerprint: string } | { refusal: unknown }
  try {
    outcome = {
      fingerprint: parsePrivateKey(input, { passphrase: TEST_PASSPHRASE }).publicKeyFingerprint,
    }
  } catch (error) {
    outcome = { refusal: error }
  }
  timings.push({ name, ms: performance.now() - started })
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
  if ('fingerprint' in outcome) {
    expect(outcome.fingerprint, name).toBe(keys.fingerprint)
    return
  }
  const error = outcome.refusal
  expect(error, name).toBeInstanceOf(KeyError)
  const message = (error as KeyError).message
  expect(
    KNOWN_REFUSALS.some((pattern) => pattern.test(message)),
    `${name}: unexpected message ${JSON.stringify(message)}`,
  ).toBe(true)
}

/** The sample's bytes or text with `mutate` applied to its DER, as the sample's own form. */
function asSample(sample: Sample, der: Buffer): string | Buffer {
  return sample.label ? pemOf(sample.label, der) : der
}

function mutations(sample: Sample, next: () => number): Case[] {
  const cases: Case[] = []
  const int = (below: number) => Math.floor(next() * below)
  const { der } = sample
  for (let index = 0; index < 12; index++) {
    const at = int(der.length)
    cases.push({
      name: `${sample.name}: cut at ${at}`,
      input: asSample(sample, der.subarray(0, at)),
    })
  }
  for (let index = 0; index < 20; index++) {
    const flipped = Buffer.from(der)
    const flips = 1 + int(4)
    for (let flip = 0; flip < flips; flip++) {
      const at = int(flipped.length)
      flipped[at] = (flipped[at] as number) ^ (1 << int(8))
    }
    cases.push({
      name: `${sample.name}: ${flips} bit flips #${index}`,
      input: asSample(sample, flipped),
    })
  }
  for (let index = 0; index < 8; index++) {
    // A length field inflated to claim gigabytes, just after a tag somewhere in the structure.
    const tags = [...der.keys()].filter((at) =>
      [0x30, 0x02, 0x04, 0x06, 0xa0, 0x03].includes(der[at] as number),
    )
    const at = tags[int(tags.length)] as number
    const inflated = Buffer.concat([
      der.subarray(0, at + 1),
      Buffer.of(0x84, 0x7f, 0xff, 0xff, 0xff),
      der.subarray(at + 2),
    ])
    cases.push({
      name: `${sample.name}: length inflated at ${at}`,
      input: asSample(sample, inflated),
    })
  }
  if (typeof sample.input === 'string') {
    const text = sample.input
    for (let index = 0; index < 10; index++) {
      const at = int(text.length)
      const junk = String.fromCharCode(int(0x3000))
      cases.push({
        name: `${sample.name}: text edit at ${at}`,
        input: text.slice(0, at) + junk + text.slice(at + int(3)),
      })
    }
    cases.push({ name: `${sample.name}: twice`, input: text + text })
  }
  return cases
}

/** `der` inside `depth` SEQUENCEs, built in one pass (each layer's length known from the one inside). */
function nested(der: Buffer, depth: number): Buffer {
  const headers: Buffer[] = []
  let length = der.length
  for (let layer = 0; layer < depth; layer++) {
    const size = length < 0x80 ? Buffer.of(length) : lengthBytes(length)
    const header = Buffer.concat([Buffer.of(0x30), size])
    headers.push(header)
    length += header.length
  }
  return Buffer.concat([...headers.reverse(), der])
}

function lengthBytes(length: number): Buffer {
  const hex = length.toString(16)
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')
  return Buffer.concat([Buffer.of(0x80 | bytes.length), bytes])
}

describe('seeded mutations of real keys are refused clearly or read as the same key', () => {
  it('truncations, bit flips, inflated lengths and text edits of every form', () => {
    const next = seededRandom(20261201)
    for (const sample of samples) for (const mutation of mutations(sample, next)) check(mutation)
  })

  it('nesting, deep and BER-indefinite', () => {
    for (const sample of samples) {
      for (const depth of [1, 40, 5_000, 60_000]) {
        check({
          name: `${sample.name}: nested ${depth}`,
          input: asSample(sample, nested(sample.der, depth)),
        })
      }
    }
    const indefinite = Buffer.concat([
      Buffer.from('3080'.repeat(200_000), 'hex'),
      Buffer.alloc(400_000),
    ])
    check({ name: 'BER indefinite nesting', input: indefinite })
    check({
      name: 'BER indefinite nesting as PEM',
      input: pemOf('PRIVATE KEY', indefinite.subarray(0, 700_000)),
    })
  })

  it('iteration counts up to 2^64 wherever a KDF reads one', () => {
    const next = seededRandom(7)
    const encrypted = samples.filter(
      (sample) => sample.label === 'ENCRYPTED PRIVATE KEY' && !sample.name.includes('scrypt'),
    )
    for (const sample of encrypted) {
      for (const count of [0, MAX_KDF_ITERATIONS + 1, 2 ** 31 - 1, Math.floor(next() * 2 ** 31)]) {
        const root = parseDer(sample.der)
        const path = sample.name.includes('v1') ? [1, 1] : PBKDF2_ITERATIONS
        setIntegerAt(child(root, 0), path, count)
        check({ name: `${sample.name}: ${count} iterations`, input: asSample(sample, toDer(root)) })
      }
      const root = parseDer(sample.der)
      setBigIntegerAt(
        child(root, 0),
        sample.name.includes('v1') ? [1, 1] : PBKDF2_ITERATIONS,
        2n ** 64n - 1n,
      )
      check({ name: `${sample.name}: 2^64 - 1 iterations`, input: asSample(sample, toDer(root)) })
    }
    // openssl's default PKCS#12 (PBES2 key bag and certificate SafeContents), and -legacy's MAC.
    const [p12, legacy] = samples.filter((found) => found.name.startsWith('PKCS#12')) as [
      Sample,
      Sample,
    ]
    for (const count of [0, MAX_PKCS12_KDF_ITERATIONS + 1, 2 ** 31 - 1]) {
      for (const rewrite of [
        withMacIterations,
        withKeyBagIterations,
        withEncryptedSafeIterations,
      ]) {
        check({ name: `PKCS#12: ${rewrite.name} ${count}`, input: rewrite(p12.der, count) })
      }
      check({ name: `PKCS#12 legacy: MAC ${count}`, input: withMacIterations(legacy.der, count) })
    }
  })

  it('scrypt N, r and p up to 2^40', () => {
    const sample = samples.find((found) => found.name === 'scrypt.pem') as Sample
    const next = seededRandom(11)
    for (let index = 0; index < 24; index++) {
      const root = parseDer(sample.der)
      const algorithm = child(root, 0)
      setBigIntegerAt(algorithm, PATHS.scryptN, 2n ** BigInt(1 + Math.floor(next() * 40)))
      setBigIntegerAt(algorithm, PATHS.scryptR, BigInt(Math.floor(next() * 2 ** (next() * 30))))
      setBigIntegerAt(algorithm, PATHS.scryptP, BigInt(Math.floor(next() * 2 ** (next() * 30))))
      check({ name: `scrypt parameters #${index}`, input: asSample(sample, toDer(root)) })
    }
  })

  it('oversized inputs up to 10 MB', () => {
    const next = seededRandom(3)
    const pattern = Buffer.from(Array.from({ length: 251 }, () => Math.floor(next() * 256)))
    const fill = (size: number) => Buffer.alloc(size, pattern)
    const base64 = (size: number) => fill(size).toString('base64').slice(0, size)
    for (const size of [1024 * 1024 - 1, 1024 * 1024 + 1, 10 * 1024 * 1024]) {
      check({ name: `${size} random bytes`, input: fill(size) })
      check({
        name: `${size} of base64 in armour`,
        input: `${armorLine('BEGIN', 'PRIVATE KEY')}\n${base64(size - 60)}\n${armorLine('END', 'PRIVATE KEY')}\n`,
      })
      check({
        name: `${size} of -----BEGIN lines`,
        input: `${armorLine('BEGIN', 'PRIVATE KEY')}\n`.repeat(Math.floor(size / 28)),
      })
      check({
        name: `${size} of a PKCS#12 header`,
        input: Buffer.concat([Buffer.from('308400ffffff020103', 'hex'), fill(size)]),
      })
    }
  })

  it('never ran a KDF above its cap', () => {
    expect(kdfRuns.pbkdf2.length + kdfRuns.pkcs12.length + kdfRuns.scrypt.length).toBeGreaterThan(
      100,
    )
    expect(Math.max(...kdfRuns.pbkdf2)).toBeLessThanOrEqual(MAX_KDF_ITERATIONS)
    expect(Math.max(...kdfRuns.pkcs12)).toBeLessThanOrEqual(MAX_PKCS12_KDF_ITERATIONS)
    expect(Math.max(...kdfRuns.scrypt)).toBeLessThanOrEqual(MAX_SCRYPT_MEMORY_BYTES)
  })
})
