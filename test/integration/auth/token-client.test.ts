// The token client against the loopback stand-in for Apple's token endpoint, over real HTTP.
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createClientAssertion } from '../../../main/auth/client-assertion'
import { AuthError, requestAccessToken, type TokenRequest } from '../../../main/auth/token-client'
import { toAppError } from '../../../main/ipc/app-error'
import {
  makeTestClient,
  startOAuthTestServer,
  type OAuthTestServer,
  type TestClient,
} from '../../support/oauth-server'
import { rejectionOf } from '../../support/rejection'

let dir: string
let server: OAuthTestServer
let client: TestClient

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'axm-token-'))
  server = await startOAuthTestServer()
  client = makeTestClient(dir)
  server.register(client)
})

afterAll(() => server.close())

afterEach(() => {
  server.mode = 'normal'
})

function request(overrides: Partial<TokenRequest> = {}, signer: TestClient = client) {
  const assertion = createClientAssertion({
    clientId: signer.clientId,
    keyId: signer.keyId,
    privateKeyPem: signer.privateKeyPem,
  })
  return requestAccessToken({
    tokenUrl: server.url,
    clientId: signer.clientId,
    scope: signer.scope,
    assertion,
    ...overrides,
  })
}

const authFailure = (pending: Promise<unknown>) => rejectionOf(pending, AuthError)

describe('requestAccessToken', () => {
  it('gets a token for a registered client', async () => {
    const token = await request()
    expect(token.accessToken.length).toBeGreaterThan(20)
    expect(token.expiresIn).toBe(3600)
    expect(token.scope).toBe('business.api')
    expect(server.requests.at(-1)).toEqual({ clientId: client.clientId, ok: true })
  })

  it('sends school.api for a school client', async () => {
    const school = makeTestClient(dir, 'school')
    server.register(school)
    expect((await request({}, school)).scope).toBe('school.api')
  })

  it('reports a key Apple does not know as invalid_client', async () => {
    const other = makeTestClient(dir)
    server.register({ ...client, publicKeyPem: other.publicKeyPem })
    try {
      const error = await authFailure(request())
      expect(error.code).toBe('invalid_client')
      expect(error.message).toBe(
        'Apple rejected this key: check the Client ID and Key ID, or the key was revoked.',
      )
      expect(server.requests.at(-1)?.reason).toBe('signature does not verify')
    } finally {
      server.register(client)
    }
  })

  it('reports a revoked key as invalid_client', async () => {
    const revoked = makeTestClient(dir)
    server.register(revoked)
    server.revoke(revoked.clientId)
    expect((await authFailure(request({}, revoked))).code).toBe('invalid_client')
    expect(server.requests.at(-1)?.reason).toBe('client revoked')
  })

  it('reports a wrong Key ID as invalid_client', async () => {
    const error = await authFailure(
      request({
        assertion: createClientAssertion({
          clientId: client.clientId,
          keyId: '00000000-0000-4000-8000-000000000000',
          privateKeyPem: client.privateKeyPem,
        }),
      }),
    )
    expect(error.code).toBe('invalid_client')
    expect(server.requests.at(-1)?.reason).toBe('kid does not match the key id')
  })

  it("quotes Apple's error for a scope the client was not issued", async () => {
    const error = await authFailure(request({ scope: 'school' }))
    expect(error.code).toBe('rejected')
    expect(error.message).toBe(
      'Apple refused the request (invalid_scope: scope school.api is not granted).',
    )
  })

  it('refuses a replayed assertion', async () => {
    const assertion = createClientAssertion({
      clientId: client.clientId,
      keyId: client.keyId,
      privateKeyPem: client.privateKeyPem,
    })
    await request({ assertion })
    expect((await authFailure(request({ assertion }))).code).toBe('invalid_client')
    expect(server.requests.at(-1)?.reason).toBe('jti already used')
  })

  it('reports a 500 as a problem on Apple’s side', async () => {
    server.mode = 'server_error'
    const error = await authFailure(request())
    expect(error.code).toBe('server')
    expect(error.message).toBe(
      "Apple's sign-in service had a problem (HTTP 500). Try again in a few minutes.",
    )
  })

  it('gives up on a server that never answers', async () => {
    server.mode = 'hang'
    const error = await authFailure(request({ timeoutMs: 300 }))
    expect(error.code).toBe('timeout')
    expect(error.message).toBe(
      "Apple's sign-in service did not answer within 300 milliseconds. Try again.",
    )
    expect(toAppError(error)).toMatchObject({ code: 'auth_failed', reason: 'timeout' })
  })

  it('stops when the caller cancels', async () => {
    server.mode = 'hang'
    const controller = new AbortController()
    const pending = request({ signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    const error = await authFailure(pending)
    expect(error.code).toBe('canceled')
    expect(error.message).toBe('The check was canceled.')
    expect(toAppError(error)).toMatchObject({ code: 'canceled', reason: 'canceled' })
  })

  it('does not start when already canceled', async () => {
    const before = server.requests.length
    const error = await authFailure(request({ signal: AbortSignal.abort() }))
    expect(error.code).toBe('canceled')
    expect(server.requests).toHaveLength(before)
  })

  it('reports a refused connection as a network problem', async () => {
    const error = await authFailure(request({ tokenUrl: await closedPortUrl() }))
    expect(error.code).toBe('network')
    expect(error.message).toBe(
      "Could not reach Apple's sign-in service (ECONNREFUSED). " + 'Check the network connection.',
    )
  })

  it('keeps the assertion out of every failure message', async () => {
    const assertion = createClientAssertion({
      clientId: client.clientId,
      keyId: client.keyId,
      privateKeyPem: client.privateKeyPem,
    })
    server.mode = 'invalid_client'
    const error = await authFailure(request({ assertion }))
    expect(error.code).toBe('invalid_client')
    for (const part of assertion.split('.')) expect(error.message).not.toContain(part)
  })
})

/** A loopback URL nothing listens on: a port the OS just handed out and took back. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const address = probe.address()
  const port = typeof address === 'object' && address ? address.port : 0
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return `http://127.0.0.1:${port}/auth/oauth2/token`
}
