// The packager against independent tools: plistlib reads what it writes, openssl decrypts its keys.
import { execFileSync } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { decryptEntry } from '../../../main/managed/decrypt'
import { PayloadBuildError } from '../../../main/managed/errors'
import { PolicyFileSource } from '../../../main/managed/file-source'
import { buildPayload, inspectPayload } from '../../../main/managed/packager'
import { decodePayloadBytes } from '../../../main/managed/payload-bytes'
import { parseManagedPayload } from '../../../main/managed/payload'
import { makeP256Key, opensslFingerprint } from '../../support/openssl-keys'
import { readPlist } from '../../support/plist'
import { tempDir } from '../../unit/managed/fixtures'

const PASSPHRASE = 'a payload passphrase'
const ids = { a: randomUUID(), b: randomUUID() }

let dir: string
let csvText: string
let fingerprints: string[]

beforeAll(() => {
  dir = tempDir('axm-packager-')
  makeP256Key(dir, 'acme.pem')
  makeP256Key(dir, 'lincoln.pem')
  fingerprints = [
    opensslFingerprint(join(dir, 'acme.pem')),
    opensslFingerprint(join(dir, 'lincoln.pem')),
  ]
  csvText = [
    'id,name,scope,client_id,key_id,pem_path',
    `acme,Acme Corp,business,BUSINESSAPI.${ids.a},${ids.a},acme.pem`,
    `lincoln,Lincoln High,,SCHOOLAPI.${ids.b},${ids.b},./lincoln.pem`,
  ].join('\n')
})

const build = (
  format: 'plist' | 'mobileconfig',
  overrides: Partial<Parameters<typeof buildPayload>[0]> = {},
) => buildPayload({ csvText, passphrase: PASSPHRASE, baseDir: dir, format, ...overrides })

/** Decrypts with `openssl pkcs8` and fingerprints the result with `openssl pkey`. */
function opensslDecryptedFingerprint(pem: string): string {
  const path = join(dir, `${randomUUID()}.pem`)
  writeFileSync(path, pem)
  const plain = execFileSync('openssl', ['pkcs8', '-in', path, '-passin', `pass:${PASSPHRASE}`])
  const der = execFileSync('openssl', ['pkey', '-pubout', '-outform', 'DER'], { input: plain })
  return createHash('sha256').update(der).digest('hex')
}

describe('buildPayload', () => {
  it('writes a plist whose keys openssl decrypts, with PBKDF2-SHA256 600,000 and AES-256-CBC', () => {
    const { bytes, entries } = build('plist')
    expect(entries).toBe(2)
    const path = join(dir, 'payload.plist')
    writeFileSync(path, bytes)
    const root = readPlist(path) as { ManagedCredentials: Record<string, unknown>[] }
    expect(
      root.ManagedCredentials.map((entry) => [entry.id, entry.name, entry.scope, entry.revision]),
    ).toEqual([
      ['acme', 'Acme Corp', 'business', 1],
      ['lincoln', 'Lincoln High', undefined, 1],
    ])
    root.ManagedCredentials.forEach((entry, index) => {
      expect(entry.publicKeyFingerprint).toBe(fingerprints[index])
      expect(opensslDecryptedFingerprint(entry.privateKey as string)).toBe(fingerprints[index])
    })
    const inspected = inspectPayload(decodePayloadBytes(bytes))
    expect(inspected.problems).toEqual([])
    for (const entry of inspected.entries) {
      expect(entry.encryption).toEqual({
        scheme: 'PBES2',
        kdf: 'PBKDF2',
        prf: 'hmacWithSHA256',
        iterations: 600_000,
        cipher: 'aes-256-cbc',
      })
    }
    expect(inspected.entries.map((entry) => entry.scope)).toEqual(['business', 'school'])
  })

  it('salts every entry afresh', () => {
    const salts = parseManagedPayload(decodePayloadBytes(build('plist').bytes)).entries.map(
      (entry) =>
        execFileSync('openssl', ['asn1parse'], { input: entry.keyMaterial })
          .toString()
          .split('\n')[7],
    )
    for (const salt of salts) expect(salt).toMatch(/OCTET STRING\s+\[HEX DUMP\]:[0-9A-F]{32}$/)
    expect(new Set(salts).size).toBe(2)
  })

  it('writes a configuration profile that plistlib reads and the app accepts as a source', async () => {
    const path = join(dir, 'credentials.mobileconfig')
    writeFileSync(path, build('mobileconfig').bytes, { mode: 0o644 })
    const profile = readPlist(path) as Record<string, unknown>
    expect(profile).toMatchObject({
      PayloadType: 'Configuration',
      PayloadVersion: 1,
      PayloadScope: 'System',
      PayloadDisplayName: 'AxM Credential Manager credentials',
    })
    const [content] = profile.PayloadContent as Record<string, unknown>[]
    expect(content).toMatchObject({ PayloadType: 'com.axmcredentials.manager', PayloadVersion: 1 })
    expect(content?.PayloadUUID).toMatch(/^[0-9A-F-]{36}$/)
    expect(content?.PayloadUUID).not.toBe(profile.PayloadUUID)

    const read = await new PolicyFileSource(path, { trustedOwnerUid: null }).read()
    if (!('payload' in read)) throw new Error('profile not read')
    const { entries, problems } = parseManagedPayload(read.payload)
    expect(problems).toEqual([])
    const keys = await Promise.all(entries.map((entry) => decryptEntry(entry, PASSPHRASE)))
    expect(keys.map((key) => key.publicKeyFingerprint)).toEqual(fingerprints)
  })

  it.each([
    ['a short passphrase', { passphrase: 'short' }, 'at least 12 characters'],
    ['fewer iterations', { iterations: 100_000 }, 'at least 600,000'],
    [
      'a CSV without key_id',
      { csvText: 'id,name,scope,client_id,pem_path\nx,y,,z,p' },
      'missing: key_id.',
    ],
    ['an empty CSV', { csvText: '' }, 'needs the columns'],
    [
      'a CSV without rows',
      { csvText: 'id,name,scope,client_id,key_id,pem_path\n' },
      'no credential rows',
    ],
  ])('refuses %s', (_what, overrides, message) => {
    expect(() => build('plist', overrides)).toThrow(message)
  })

  it('names the CSV line of each bad row and writes nothing', () => {
    makeP256Key(dir, 'ok.pem')
    execFileSync(
      'openssl',
      [
        'genpkey',
        '-algorithm',
        'RSA',
        '-pkeyopt',
        'rsa_keygen_bits:2048',
        '-out',
        join(dir, 'rsa.pem'),
      ],
      { stdio: 'pipe' },
    )
    const rows = [
      'id,name,scope,client_id,key_id,pem_path',
      `ok,Ok,,BUSINESSAPI.${ids.a},${ids.a},ok.pem`,
      `missing,Missing,,BUSINESSAPI.${ids.a},${ids.a},nowhere.pem`,
      `rsa,Rsa,,BUSINESSAPI.${ids.a},${ids.a},rsa.pem`,
      `badclient,Bad,,APPLE.1,${ids.a},ok.pem`,
    ].join('\n')
    let caught: unknown
    try {
      build('plist', { csvText: rows })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(PayloadBuildError)
    const { problems } = caught as PayloadBuildError
    expect(problems.map((problem) => problem.line)).toEqual([3, 4])
    expect(problems[1]?.message).toContain('RSA')
  })

  it('refuses a key file larger than any key without reading it whole', () => {
    writeFileSync(join(dir, 'huge.pem'), Buffer.alloc(3 * 1024 * 1024, 0x41))
    const rows = [
      'id,name,scope,client_id,key_id,pem_path',
      `huge,Huge,,BUSINESSAPI.${ids.a},${ids.a},huge.pem`,
    ].join('\n')
    expect(() => build('plist', { csvText: rows })).toThrow(/huge\.pem is larger than 1 MB/)
  })

  it('takes a revision from the optional revision column, and refuses one that is not a count', () => {
    const header = 'id,name,scope,client_id,key_id,pem_path,revision'
    const row = (revision: string) =>
      `${header}\nacme,Acme Corp,,BUSINESSAPI.${ids.a},${ids.a},acme.pem,${revision}`
    const { entries } = inspectPayload(
      decodePayloadBytes(build('plist', { csvText: row('3') }).bytes),
    )
    expect(entries.map((entry) => entry.revision)).toEqual([3])
    expect(() => build('plist', { csvText: row('0') })).toThrow(/revision "0"/)
    expect(() => build('plist', { csvText: row('two') })).toThrow(/revision "two"/)
  })

  it('checks the built entries with the reader’s rules', () => {
    const rows = [
      'id,name,scope,client_id,key_id,pem_path',
      `x,X,school,BUSINESSAPI.${ids.a},${ids.a},acme.pem`,
    ].join('\n')
    expect(() => build('plist', { csvText: rows })).toThrow('line 2: scope is school')
  })
})
