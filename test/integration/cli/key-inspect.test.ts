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

  it('exits 2 on wrong usage', () => {
    expect(runCliProcess(['key', 'inspect']).status).toBe(2)
    expect(runCliProcess(['key', 'inspect', keys.pkcs8, '--bogus']).status).toBe(2)
    expect(runCliProcess(['frobnicate']).status).toBe(2)
  })
})
