import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { checkCredential, type CredentialCheckInput } from '../../../main/auth/connection-check'
import {
  makeTestClient,
  startOAuthTestServer,
  type OAuthTestServer,
  type TestClient,
} from '../../support/oauth-server'

const CHECKED_AT = new Date('2030-01-02T03:04:05.000Z')

let server: OAuthTestServer
let client: TestClient

beforeAll(async () => {
  server = await startOAuthTestServer()
  client = makeTestClient(mkdtempSync(join(tmpdir(), 'axm-check-')))
  server.register(client)
})

afterAll(() => server.close())

afterEach(() => {
  server.mode = 'normal'
})

function check(overrides: Partial<CredentialCheckInput> = {}) {
  return checkCredential({
    clientId: client.clientId,
    keyId: client.keyId,
    scope: client.scope,
    privateKeyPem: client.privateKeyPem,
    tokenUrl: server.url,
    ...overrides,
  })
}

describe('checkCredential', () => {
  it('passes when Apple accepts the credential, and keeps no token', async () => {
    const result = await check()
    expect(result).toEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ok: true,
      message: 'Apple accepted this credential.',
    })
    expect(Object.keys(result).sort()).toEqual(['at', 'message', 'ok'])
    expect(server.requests.at(-1)).toEqual({ clientId: client.clientId, ok: true })
  })

  it('stamps the check with the given clock', async () => {
    const failed = await check({ now: () => CHECKED_AT, tokenUrl: 'http://127.0.0.1:1/token' })
    expect(failed.at).toBe(CHECKED_AT.toISOString())
  })

  it('fails with Apple’s verdict when the key is refused', async () => {
    server.mode = 'invalid_client'
    expect(await check()).toMatchObject({
      ok: false,
      message: 'Apple rejected this key: check the Client ID and Key ID, or the key was revoked.',
      reason: 'invalid_client',
    })
  })

  it('fails when the Key ID does not match', async () => {
    const result = await check({ keyId: '00000000-0000-4000-8000-000000000000' })
    expect(result.ok).toBe(false)
    expect(result.message).toMatch(/^Apple rejected this key/)
  })

  it('never keeps an assertion the endpoint echoes, whole, cut or in parts', async () => {
    server.mode = 'echo_assertion'
    const result = await check()
    expect(result.ok).toBe(false)
    expect(result.message).toMatch(/^Apple refused the request \(HTTP 400\)\.$|\[hidden\]/)
    expect(result.message).not.toMatch(/eyJ|[\w-]{24,}/)
  })

  it('fails with a server message on a 500', async () => {
    server.mode = 'server_error'
    expect(await check()).toMatchObject({
      ok: false,
      message: "Apple's sign-in service had a problem (HTTP 500). Try again in a few minutes.",
      reason: 'server',
    })
  })

  it('fails with a timeout message when Apple does not answer', async () => {
    server.mode = 'hang'
    const result = await check({ timeoutMs: 1000 })
    expect(result).toMatchObject({
      ok: false,
      message: "Apple's sign-in service did not answer within 1 second. Try again.",
      reason: 'timeout',
    })
  })

  it('fails as canceled when the caller cancels', async () => {
    expect(await check({ signal: AbortSignal.abort() })).toMatchObject({
      ok: false,
      message: 'The check was canceled.',
    })
  })

  it('fails, without throwing, for a key that cannot sign', async () => {
    const result = await check({ privateKeyPem: 'not a key' })
    expect(result.ok).toBe(false)
    expect(result.message).toMatch(/private key could not be read/)
  })
})
