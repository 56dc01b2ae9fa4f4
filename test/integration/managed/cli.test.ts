// payload build / inspect / import and managed status through the CLI entry, over real services.
import { randomUUID } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../../main/cli/index'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIO } from '../../../main/cli/io'
import { makeP256Key, opensslFingerprint } from '../../support/openssl-keys'
import { writePlist } from '../../support/plist'
import {
  entryFor,
  makeEntryKey,
  tempDir,
  TEST_PASSPHRASE,
  type EntryKey,
} from '../../unit/managed/fixtures'

const PAYLOAD_PASSPHRASE = 'payload passphrase 2026'

let keyDir: string
let entryKey: EntryKey
let dataDir: string
/** Where payloads are written: anywhere but the data folder. */
let outDir: string

beforeAll(() => {
  keyDir = tempDir('axm-cli-keys-')
  makeP256Key(keyDir, 'acme.pem')
  const id = randomUUID()
  writeFileSync(
    join(keyDir, 'creds.csv'),
    `id,name,scope,client_id,key_id,pem_path\nacme,Acme Corp,business,BUSINESSAPI.${id},${id},acme.pem\n`,
  )
  entryKey = makeEntryKey(keyDir)
})

beforeEach(() => {
  dataDir = tempDir('axm-cli-data-')
  outDir = tempDir('axm-cli-out-')
})

interface Run {
  code: number
  stdout: string
  stderr: string
}

const io = (env: NodeJS.ProcessEnv, answers: string[] = []) => {
  const out: string[] = []
  const err: string[] = []
  const cliIO: CliIO = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: { AXM_OAUTH_TOKEN_URL: 'http://127.0.0.1:9/never', ...env },
    promptSecret: async () => answers.shift() ?? '',
  }
  return {
    cliIO,
    result: (code: number): Run => ({ code, stdout: out.join('\n'), stderr: err.join('\n') }),
  }
}

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  answers: string[] = [],
): Promise<Run> {
  const { cliIO, result } = io(env, answers)
  return result(await runCli(['--data-dir', dataDir, ...args], cliIO))
}

describe('payload build and inspect', () => {
  it('builds a plist from a CSV and inspects it without the passphrase', async () => {
    const out = join(outDir, 'payload.plist')
    const built = await cli(
      ['payload', 'build', '--csv', join(keyDir, 'creds.csv'), '--out', out],
      {
        AXM_PAYLOAD_PASSPHRASE: PAYLOAD_PASSPHRASE,
      },
    )
    expect(built).toMatchObject({ code: EXIT_OK, stdout: out })
    expect(statSync(out).mode & 0o777).toBe(0o600)
    expect(readFileSync(out, 'utf8')).not.toContain(PAYLOAD_PASSPHRASE)

    const inspected = await cli(['payload', 'inspect', out, '--json'])
    expect(inspected.code).toBe(EXIT_OK)
    const report = JSON.parse(inspected.stdout)
    expect(report.entries).toEqual([
      expect.objectContaining({
        id: 'acme',
        keyFormat: 'encrypted-pkcs8',
        publicKeyFingerprint: opensslFingerprint(join(keyDir, 'acme.pem')),
        encryption: expect.objectContaining({ iterations: 600_000, cipher: 'aes-256-cbc' }),
      }),
    ])
    const table = await cli(['payload', 'inspect', out])
    expect(table.stdout).toContain('PBKDF2 hmacWithSHA256 600,000 iter aes-256-cbc')

    // What the packager built imports like any MDM payload, with the admin's passphrase.
    const imported = await cli(
      ['payload', 'import', out, '--entry', 'acme', '--as-new', '--json'],
      {
        AXM_KEY_PASSPHRASE: PAYLOAD_PASSPHRASE,
      },
    )
    expect(imported.code).toBe(EXIT_OK)
    expect(JSON.parse(imported.stdout).credential).toMatchObject({
      origin: 'managed',
      managedId: 'acme',
      publicKeyFingerprint: opensslFingerprint(join(keyDir, 'acme.pem')),
    })
  })

  it('asks for the passphrase twice and refuses two different answers', async () => {
    const out = join(outDir, 'payload.mobileconfig')
    const args = [
      'payload',
      'build',
      '--csv',
      join(keyDir, 'creds.csv'),
      '--out',
      out,
      '--format',
      'mobileconfig',
    ]
    const differ = await cli(args, {}, ['first passphrase!!', 'second passphrase'])
    expect(differ.code).toBe(EXIT_FAILED)
    expect(differ.stderr).toContain('differ')
    const same = await cli(args, {}, ['same passphrase!!', 'same passphrase!!'])
    expect(same.code).toBe(EXIT_OK)
    expect(readFileSync(out, 'utf8')).toContain('<string>Configuration</string>')
  })

  it('refuses a short passphrase and wrong usage', async () => {
    const args = [
      'payload',
      'build',
      '--csv',
      join(keyDir, 'creds.csv'),
      '--out',
      join(outDir, 'x.plist'),
    ]
    expect((await cli(args, { AXM_PAYLOAD_PASSPHRASE: 'short' })).code).toBe(EXIT_FAILED)
    expect((await cli(['payload', 'build', '--csv', 'x.csv'])).code).toBe(EXIT_USAGE)
    expect(
      (await cli([...args, '--format', 'zip'], { AXM_PAYLOAD_PASSPHRASE: PAYLOAD_PASSPHRASE }))
        .code,
    ).toBe(EXIT_USAGE)
    expect((await cli(['payload', 'frobnicate'])).code).toBe(EXIT_USAGE)
  })

  it('refuses to write the payload into the data folder', async () => {
    const config = join(dataDir, 'config.json')
    writeFileSync(config, '{"kept": true}')
    const built = await cli(
      ['payload', 'build', '--csv', join(keyDir, 'creds.csv'), '--out', config],
      { AXM_PAYLOAD_PASSPHRASE: PAYLOAD_PASSPHRASE },
    )
    expect(built).toMatchObject({ code: EXIT_FAILED, stdout: '' })
    expect(built.stderr).toMatch(/inside the app's data folder.*Nothing was written/)
    expect(readFileSync(config, 'utf8')).toBe('{"kept": true}')
  })

  it('inspect fails with the reason for a damaged file', async () => {
    const path = join(dataDir, 'bad.json')
    writeFileSync(path, '{"ManagedCredentials": [', { mode: 0o644 })
    const run = await cli(['payload', 'inspect', path])
    expect(run.code).toBe(EXIT_FAILED)
    expect(run.stderr).toContain('not a complete JSON')
  })
})

describe('payload import and managed status', () => {
  it('imports an entry as new once, and managed status shows it imported', async () => {
    const file = join(dataDir, 'managed.plist')
    writePlist(file, { ManagedCredentials: [entryFor('acme', entryKey)] })
    const env = { AXM_KEY_PASSPHRASE: TEST_PASSPHRASE }

    const wrong = await cli(['payload', 'import', file, '--entry', 'acme', '--as-new'], {
      AXM_KEY_PASSPHRASE: 'not it',
    })
    expect(wrong.code).toBe(EXIT_FAILED)
    expect(wrong.stderr).toContain('Wrong passphrase for "Tenant acme"')

    const imported = await cli(
      ['payload', 'import', file, '--entry', 'acme', '--as-new', '--json'],
      env,
    )
    expect(imported.code).toBe(EXIT_OK)
    const { credential } = JSON.parse(imported.stdout)
    expect(credential).toMatchObject({
      origin: 'managed',
      managedId: 'acme',
      publicKeyFingerprint: entryKey.fingerprint,
    })

    const again = await cli(['payload', 'import', file, '--entry', 'acme', '--as-new'], env)
    expect(again.code).toBe(EXIT_FAILED)
    expect(again.stderr).toContain('already imported')

    const status = await cli(['managed', 'status', '--json'], { ...env, AXM_MANAGED_PREFS: file })
    expect(status.code).toBe(EXIT_OK)
    const overview = JSON.parse(status.stdout)
    expect(overview.source).toEqual({ location: file, present: true })
    expect(overview.entries).toEqual([expect.objectContaining({ id: 'acme', status: 'imported' })])
    expect(overview.ledger.acme).toMatchObject({ revision: 1, credentialId: credential.id })
  })

  it('asks for one of --as-new and --replace', async () => {
    const run = await cli(['payload', 'import', 'x.plist', '--entry', 'acme'])
    expect(run.code).toBe(EXIT_USAGE)
  })
})
