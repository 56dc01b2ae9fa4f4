import { closeSync, openSync, readFileSync, ftruncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCliProcess } from '../../support/cli'
import { makeKeySet, TEST_PASSPHRASE, type TestKeySet } from '../../support/openssl-keys'

let keys: TestKeySet

beforeAll(() => {
  keys = makeKeySet(10_000)
})

describe('axm-credentials key inspect', () => {
  it.each([
    ['PKCS#8', 'pkcs8', 'pkcs8'],
    ['SEC1', 'sec1', 'sec1'],
    ['PKCS#8 with CRLF and a BOM', 'crlf', 'pkcs8'],
  ] as const)('agrees with openssl on a %s key', (_label, file, format) => {
    const run = runCliProcess(['key', 'inspect', keys[file], '--json'])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      format,
      curve: 'P-256',
      fingerprint: keys.fingerprint,
    })
  })

  it.each([
    ['encrypted PKCS#8', 'encryptedPkcs8', 'encrypted-pkcs8'],
    ['PKCS#12', 'pkcs12', 'pkcs12'],
  ] as const)('agrees with openssl on a %s key unlocked from the env', (_label, file, format) => {
    const run = runCliProcess(['key', 'inspect', keys[file]], {
      AXM_KEY_PASSPHRASE: TEST_PASSPHRASE,
    })
    expect(run.status).toBe(0)
    expect(run.stdout).toContain(`format:      ${format}`)
    expect(run.stdout).toContain(`fingerprint: ${keys.fingerprint}`)
  })

  it.each([
    ['an RSA key', 'rsa', /RSA key/],
    ['a P-384 key', 'p384', /P-384/],
    ['an Ed25519 key', 'ed25519', /Ed25519/],
    ['a certificate', 'certificate', /certificate, not a private key/],
    ['garbage', 'garbage', /not a PEM private key/],
    ['an empty file', 'empty', /empty/],
    ['an encrypted key without its passphrase', 'encryptedPkcs8', /passphrase/],
  ] as const)('refuses %s with exit 1 and one line why', (_label, file, reason) => {
    const run = runCliProcess(['key', 'inspect', keys[file]])
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toMatch(reason)
  })

  it('says “wrong passphrase” for a wrong passphrase', () => {
    const run = runCliProcess(['key', 'inspect', keys.pkcs12], { AXM_KEY_PASSPHRASE: 'nope' })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/wrong passphrase/i)
    expect(run.stderr).not.toContain('nope')
  })

  it('refuses a 600 MB file in one line, without reading it whole (issue 10 #10)', () => {
    const huge = join(keys.dir, 'huge.pem')
    const fd = openSync(huge, 'w')
    ftruncateSync(fd, 600 * 1024 * 1024)
    closeSync(fd)
    const run = runCliProcess(['key', 'inspect', huge])
    expect(run.status).toBe(1)
    expect(run.stderr.trim()).toBe(
      'axm-credentials: huge.pem is larger than 1 MB; it is not a private key.',
    )
  })

  it('reads a key pasted into a file from an email, quoted and indented (issue 11 #1)', () => {
    const quoted = join(keys.dir, 'quoted.txt')
    const lines = readFileSync(keys.pkcs8, 'utf8').trim().split('\n')
    writeFileSync(quoted, lines.map((line) => `>  \t${line}`).join('\r\n'))
    const run = runCliProcess(['key', 'inspect', quoted, '--json'])
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toMatchObject({ format: 'pkcs8', fingerprint: keys.fingerprint })
  })

  it('exits 2 on wrong usage', () => {
    expect(runCliProcess(['key', 'inspect']).status).toBe(2)
    expect(runCliProcess(['key', 'inspect', keys.pkcs8, '--bogus']).status).toBe(2)
    expect(runCliProcess(['frobnicate']).status).toBe(2)
  })
})
