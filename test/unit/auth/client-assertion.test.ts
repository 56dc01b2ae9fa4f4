import { execFileSync } from 'node:child_process'
import { createPublicKey, verify } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  APPLE_ASSERTION_AUDIENCE,
  ClientAssertionError,
  createClientAssertion,
} from '../../../main/auth/client-assertion'
import { makeP256Key } from '../../support/openssl-keys'
import { publicKeyPemOf } from '../../support/oauth-server'

const CLIENT_ID = 'BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152'
const KEY_ID = 'd136aa66-0c3b-4bd4-9892-c20e8db024ab'
const NOW = new Date('2025-06-01T12:00:00.000Z')

let dir: string
let privateKeyPem: string
let publicKeyPem: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'axm-assertion-'))
  const keyPath = makeP256Key(dir)
  privateKeyPem = readFileSync(keyPath, 'utf8')
  publicKeyPem = publicKeyPemOf(keyPath)
})

function decode(assertion: string) {
  const [header, claims, signature] = assertion.split('.')
  const json = (part: string | undefined) =>
    JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
  return {
    header: json(header),
    claims: json(claims),
    signingInput: `${header}.${claims}`,
    signature: Buffer.from(signature ?? '', 'base64url'),
  }
}

describe('createClientAssertion', () => {
  it('has the header and claims Apple asks for', () => {
    const assertion = createClientAssertion({
      clientId: CLIENT_ID,
      keyId: KEY_ID,
      privateKeyPem,
      now: NOW,
    })
    expect(assertion.split('.')).toHaveLength(3)
    expect(assertion).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    const { header, claims } = decode(assertion)
    expect(header).toEqual({ alg: 'ES256', kid: KEY_ID, typ: 'JWT' })
    const iat = NOW.getTime() / 1000
    expect(claims).toEqual({
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      aud: APPLE_ASSERTION_AUDIENCE,
      iat,
      exp: iat + 300,
      jti: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
    })
    expect(APPLE_ASSERTION_AUDIENCE).toBe('https://account.apple.com/auth/oauth2/v2/token')
  })

  it('lasts as long as asked and carries a given jti', () => {
    const { claims } = decode(
      createClientAssertion({
        clientId: CLIENT_ID,
        keyId: KEY_ID,
        privateKeyPem,
        now: NOW,
        lifetimeSeconds: 900,
        jti: 'fixed-jti',
      }),
    )
    expect((claims.exp as number) - (claims.iat as number)).toBe(900)
    expect(claims.jti).toBe('fixed-jti')
  })

  it('gives every assertion its own jti', () => {
    const jtis = new Set(
      Array.from(
        { length: 20 },
        () =>
          decode(createClientAssertion({ clientId: CLIENT_ID, keyId: KEY_ID, privateKeyPem }))
            .claims.jti,
      ),
    )
    expect(jtis.size).toBe(20)
  })

  it('signs with a raw 64-byte ES256 signature that the public key verifies', () => {
    const { signingInput, signature } = decode(
      createClientAssertion({ clientId: CLIENT_ID, keyId: KEY_ID, privateKeyPem }),
    )
    expect(signature).toHaveLength(64)
    const key = createPublicKey(publicKeyPem)
    const ok = verify(
      'sha256',
      Buffer.from(signingInput),
      { key, dsaEncoding: 'ieee-p1363' },
      signature,
    )
    expect(ok).toBe(true)
    const tampered = Buffer.from(signingInput.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))
    expect(verify('sha256', tampered, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(false)
  })

  it('is not signed by another key', () => {
    const otherPublic = publicKeyPemOf(makeP256Key(dir, 'other.pem'))
    const { signingInput, signature } = decode(
      createClientAssertion({ clientId: CLIENT_ID, keyId: KEY_ID, privateKeyPem }),
    )
    const key = createPublicKey(otherPublic)
    expect(
      verify('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }, signature),
    ).toBe(false)
  })

  it.each([0, -1, 901, 1.5])('refuses a lifetime of %s seconds', (lifetimeSeconds) => {
    expect(() =>
      createClientAssertion({ clientId: CLIENT_ID, keyId: KEY_ID, privateKeyPem, lifetimeSeconds }),
    ).toThrow(RangeError)
  })

  it('refuses keys that cannot make an ES256 signature, without quoting them', () => {
    const p384 = join(dir, 'p384.pem')
    execFileSync('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-384',
      '-out',
      p384,
    ])
    const cases = [
      { pem: readFileSync(p384, 'utf8'), message: /not an EC P-256 key/ },
      { pem: 'not a key', message: /could not be read/ },
    ]
    for (const { pem, message } of cases) {
      let thrown: unknown
      try {
        createClientAssertion({ clientId: CLIENT_ID, keyId: KEY_ID, privateKeyPem: pem })
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(ClientAssertionError)
      const error = thrown as ClientAssertionError
      expect(error.message).toMatch(message)
      expect(error.code).toBe('key_invalid')
      expect(error.message).not.toContain('PRIVATE KEY')
    }
  })
})
