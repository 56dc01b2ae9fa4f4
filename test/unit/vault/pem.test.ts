// Keys as people paste them (issue 11 #1): from emails, tickets and chats, with what those do to
// text. Each is read through parsePrivateKey, the path the app, `key inspect` and managed entries use.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { child, parseDer, toDer } from '../../../main/vault/asn1'
import { pemOf, scanPem } from '../../../main/vault/pem'
import { KeyError, parsePrivateKey, type KeyErrorCode } from '../../../main/vault/private-key'
import { makeKeySet, TEST_PASSPHRASE, type TestKeySet, armorLine } from '../../support/openssl-keys'

let keys: TestKeySet
let pem: string
let lines: string[]

beforeAll(() => {
  keys = makeKeySet(2048)
  pem = readFileSync(keys.pkcs8, 'utf8')
  lines = pem.trim().split('\n')
})

afterAll(() => {
  rmSync(keys.dir, { recursive: true, force: true })
})

function refusal(run: () => unknown): { code: KeyErrorCode; message: string } {
  try {
    run()
  } catch (error) {
    if (error instanceof KeyError) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected a KeyError')
}

const body = () => lines.slice(1, -1).join('')

describe('a pasted key is read when its armour and body can be recovered without guessing', () => {
  it.each<[string, () => string]>([
    ['indented with spaces', () => lines.map((line) => `    ${line}`).join('\n')],
    [
      'indented with tabs, trailing spaces',
      () => lines.map((line) => `\t\t${line}  \t`).join('\n'),
    ],
    ['indented with no-break spaces', () => lines.map((line) => `\u00a0\u00a0${line}`).join('\n')],
    ['quoted with "> "', () => lines.map((line) => `> ${line}`).join('\n')],
    ['quoted twice, ">> "', () => lines.map((line) => `>> ${line}`).join('\n')],
    [
      'quoted as "> > " with a blank quoted line',
      () => `> >\n${lines.map((line) => `> > ${line}`).join('\n')}\n> >`,
    ],
    ['quoted with ">" and no space', () => lines.map((line) => `>${line}`).join('\n')],
    ['on one line with the armour run into the body', () => lines.join('')],
    ['on one line with spaces where the breaks were', () => lines.join(' ')],
    [
      'rewrapped at 40 characters',
      () => `${lines[0]}\n${body().replace(/(.{40})/g, '$1\n')}\n${lines.at(-1)}`,
    ],
    [
      'with a break inside an armour line',
      () => pem.replace('BEGIN PRIVATE KEY', 'BEGIN PRIVATE\nKEY'),
    ],
    [
      'with CRLF, a BOM and blank lines around it',
      () => `\uFEFF\r\n\r\n${lines.join('\r\n')}\r\n\r\n`,
    ],
    ['inside the text of a message', () => `Hi, here is the key:\n\n${pem}\nThanks, Sam`],
  ])('%s', (_how, paste) => {
    const text = paste()
    expect(text).not.toBe(pem)
    expect(parsePrivateKey(text).publicKeyFingerprint).toBe(keys.fingerprint)
    expect(parsePrivateKey(Buffer.from(text)).publicKeyFingerprint).toBe(keys.fingerprint)
  })

  it('reads a quoted encrypted key, and a quoted legacy-encrypted key with its headers', () => {
    const encrypted = readFileSync(keys.encryptedPkcs8, 'utf8')
    const quoted = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')
    expect(parsePrivateKey(quoted(encrypted), { passphrase: TEST_PASSPHRASE }).format).toBe(
      'encrypted-pkcs8',
    )
    const legacy = execFileSync('openssl', [
      'ec',
      '-in',
      keys.pkcs8,
      '-aes256',
      '-passout',
      `pass:${TEST_PASSPHRASE}`,
    ]).toString()
    expect(legacy).toContain('Proc-Type: 4,ENCRYPTED')
    expect(
      parsePrivateKey(quoted(legacy), { passphrase: TEST_PASSPHRASE }).publicKeyFingerprint,
    ).toBe(keys.fingerprint)
  })
})

describe('an ambiguous paste is refused, saying why', () => {
  it('refuses two keys, also run together on one line', () => {
    const message = 'This text holds more than one private key; give one at a time.'
    expect(refusal(() => parsePrivateKey(pem + pem)).message).toBe(message)
    expect(refusal(() => parsePrivateKey(`${lines.join('')}${lines.join('')}`)).message).toBe(
      message,
    )
  })

  it('refuses text inside the body instead of skipping it, naming the line', () => {
    const damaged = [lines[0], lines[1], 'see attached *', lines[2], lines.at(-1)].join('\n')
    expect(refusal(() => parsePrivateKey(damaged))).toEqual({
      code: 'key_invalid',
      message:
        'The PRIVATE KEY block holds text that is not base64 (on line 2 of its body); copy the key ' +
        'again from the original file.',
    })
  })

  it('refuses quoting run into a collapsed body', () => {
    const collapsed = lines.map((line) => `> ${line}`).join(' ')
    expect(refusal(() => parsePrivateKey(collapsed)).message).toMatch(
      /holds text that is not base64/,
    )
  })

  it('refuses a key cut off before its END line, also next to a whole key', () => {
    const cut = pem.slice(0, pem.length - 30)
    expect(refusal(() => parsePrivateKey(cut)).message).toBe('The PEM text is cut off or damaged.')
    expect(refusal(() => parsePrivateKey(cut + readFileSync(keys.sec1, 'utf8'))).message).toBe(
      'The PEM text is cut off or damaged.',
    )
  })
})

describe('the PEM scanner is linear (issue 10 #7)', () => {
  it.each([
    ['-----BEGIN', '-----BEGIN\n', 'The PEM text is cut off or damaged.'],
    ['dashes', `${'-'.repeat(40)}\n`, 'This is not a PEM private key or a PKCS#12 file.'],
    [
      armorLine('BEGIN', 'PRIVATE KEY'),
      `${armorLine('BEGIN', 'PRIVATE KEY')}\n`,
      'The PEM text is cut off or damaged.',
    ],
  ])('refuses a megabyte of %s lines', (_what, line, message) => {
    const hostile = line.repeat(Math.floor((1024 * 1024 - pem.length) / line.length))
    expect(refusal(() => parsePrivateKey(hostile))).toEqual({ code: 'key_invalid', message })
  })

  it('reads a key after a megabyte of dashes that are no armour, not after stray armour lines', () => {
    const filler = (line: string) =>
      line.repeat(Math.floor((1024 * 1024 - pem.length) / line.length))
    expect(parsePrivateKey(filler('-----BEGIN\n') + pem).publicKeyFingerprint).toBe(
      keys.fingerprint,
    )
    expect(
      refusal(() => parsePrivateKey(filler(`${armorLine('BEGIN', 'PRIVATE KEY')}\n`) + pem)),
    ).toEqual({
      code: 'key_invalid',
      message: 'The PEM text is cut off or damaged.',
    })
  })

  it('finds every block of a long text in one pass', () => {
    const certificate = readFileSync(keys.certificate, 'utf8')
    const { blocks, strays } = scanPem(`${certificate}\n`.repeat(2_000))
    expect(blocks).toHaveLength(2_000)
    expect(strays).toEqual([])
  })

  it('writes PEM the scanner reads back', () => {
    const der = Buffer.from('not a key, but bytes all the same')
    expect(scanPem(pemOf('TEST DATA', der)).blocks[0]?.der).toEqual(der)
  })
})

describe('a private key whose public half is not its own is refused (issue 10 #5)', () => {
  /** The SEC1 key with one byte of its private scalar changed, its embedded public key kept. */
  function damagedScalar(): Buffer {
    const der = execFileSync('openssl', ['ec', '-in', keys.pkcs8, '-outform', 'DER'])
    const root = parseDer(der)
    const scalar = Buffer.from(child(root, 1).value as string, 'binary')
    scalar[31] = (scalar[31] as number) ^ 0x01
    child(root, 1).value = scalar.toString('binary')
    return toDer(root)
  }

  const message =
    'The private key is damaged: its public key does not belong to its private part, so it could ' +
    'not sign. Copy the key again from the original file.'

  it('refuses a SEC1 key with a damaged scalar, as PEM and as DER', () => {
    const der = damagedScalar()
    expect(refusal(() => parsePrivateKey(pemOf('EC PRIVATE KEY', der)))).toEqual({
      code: 'key_invalid',
      message,
    })
    expect(refusal(() => parsePrivateKey(der)).message).toBe(message)
  })

  it('reads the same key undamaged, as DER, with the fingerprint of the derived public key', () => {
    const sec1 = execFileSync('openssl', ['ec', '-in', keys.pkcs8, '-outform', 'DER'])
    const pkcs8 = execFileSync('openssl', [
      'pkcs8',
      '-topk8',
      '-nocrypt',
      '-in',
      keys.pkcs8,
      '-outform',
      'DER',
    ])
    expect(parsePrivateKey(sec1)).toMatchObject({
      format: 'sec1',
      publicKeyFingerprint: keys.fingerprint,
    })
    expect(parsePrivateKey(pkcs8)).toMatchObject({
      format: 'pkcs8',
      publicKeyFingerprint: keys.fingerprint,
    })
  })
})
