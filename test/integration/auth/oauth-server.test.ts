// The loopback token server must refuse what Apple refuses, or the client tests prove nothing.
import { createPrivateKey } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPLE_ASSERTION_AUDIENCE, signJws } from '../../../main/auth/client-assertion'
import {
  makeTestClient,
  startOAuthTestServer,
  type OAuthTestServer,
  type TestClient,
} from '../../support/oauth-server'

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

let server: OAuthTestServer
let client: TestClient
let jtiCounter = 0

beforeAll(async () => {
  server = await startOAuthTestServer()
  client = makeTestClient(mkdtempSync(join(tmpdir(), 'axm-oauth-server-')))
  server.register(client)
})

afterAll(() => server.close())

function assertion(header: object = {}, claims: object = {}): string {
  const now = Math.floor(Date.now() / 1000)
  return signJws(
    { alg: 'ES256', kid: client.keyId, typ: 'JWT', ...header },
    {
      iss: client.clientId,
      sub: client.clientId,
      aud: APPLE_ASSERTION_AUDIENCE,
      iat: now,
      exp: now + 300,
      jti: `test-${++jtiCounter}`,
      ...claims,
    },
    createPrivateKey(client.privateKeyPem),
  )
}

async function post(fields: Record<string, string>, init: RequestInit = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_assertion_type: JWT_BEARER,
      client_assertion: assertion(),
      scope: 'business.api',
      ...fields,
    }),
    ...init,
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('the loopback OAuth server', () => {
  it('grants a token for a correct request', async () => {
    const { status, body } = await post({})
    expect(status).toBe(200)
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'business.api' })
    expect(body.access_token).toEqual(expect.any(String))
  })

  const now = () => Math.floor(Date.now() / 1000)
  it.each([
    ['alg is not ES256', () => assertion({ alg: 'HS256' })],
    ['kid does not match the key id', () => assertion({ kid: 'other' })],
    ['iss and sub must be the client id', () => assertion({}, { iss: 'someone-else' })],
    ['iss and sub must be the client id', () => assertion({}, { sub: 'someone-else' })],
    ['wrong aud', () => assertion({}, { aud: 'https://account.apple.com/auth/oauth2/token' })],
    ['assertion expired', () => assertion({}, { iat: now() - 600, exp: now() - 1 })],
    ['iat is in the future', () => assertion({}, { iat: now() + 3600, exp: now() + 3900 })],
    ['jti missing', () => assertion({}, { jti: '' })],
    ['signature does not verify', () => assertion().replace(/.{4}$/, 'AAAA')],
    ['assertion is not a compact JWS', () => 'only.two'],
    ['assertion part is not base64url JSON', () => 'bm90IGpzb24.e30.AAAA'],
  ])('refuses an assertion when %s', async (reason, make) => {
    const { status, body } = await post({ client_assertion: make() })
    expect(status).toBe(401)
    expect(body).toEqual({ error: 'invalid_client', error_description: reason })
  })

  it('refuses a replayed jti', async () => {
    const replayed = assertion()
    expect((await post({ client_assertion: replayed })).status).toBe(200)
    expect((await post({ client_assertion: replayed })).body.error_description).toBe(
      'jti already used',
    )
  })

  it.each([
    [{ grant_type: 'password' }, 400, 'unsupported_grant_type'],
    [{ client_assertion_type: 'other' }, 400, 'invalid_request'],
    [{ scope: 'school.api' }, 400, 'invalid_scope'],
    [{ client_id: 'BUSINESSAPI.unknown' }, 401, 'invalid_client'],
  ])('refuses form fields %o', async (fields, status, error) => {
    const answer = await post(fields)
    expect(answer.status).toBe(status)
    expect(answer.body.error).toBe(error)
  })

  it('refuses a body that is not form-encoded', async () => {
    const answer = await post({}, { headers: { 'content-type': 'application/json' } })
    expect(answer.status).toBe(400)
    expect(answer.body.error_description).toBe('body is not form-encoded')
  })

  it('ends hanging requests when it closes', async () => {
    const hanging = await startOAuthTestServer()
    hanging.mode = 'hang'
    const pending = fetch(hanging.url, { method: 'POST', body: new URLSearchParams({}) })
    await expect.poll(() => hanging.requests.length).toBe(1)
    await hanging.close()
    await expect(pending).rejects.toThrow()
  })
})
