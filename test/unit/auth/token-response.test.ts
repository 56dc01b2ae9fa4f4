import { describe, expect, it } from 'vitest'
import { AuthError } from '../../../main/auth/auth-error'
import { parseTokenResponse } from '../../../main/auth/token-response'
import { toAppError } from '../../../main/ipc/app-error'

function failure(status: number, body: unknown): AuthError {
  try {
    parseTokenResponse(status, typeof body === 'string' ? body : JSON.stringify(body))
  } catch (error) {
    if (error instanceof AuthError) return error
    throw error
  }
  throw new Error('expected an AuthError')
}

describe('parseTokenResponse', () => {
  it('returns the token without exposing it to logs or JSON', () => {
    const token = parseTokenResponse(
      200,
      JSON.stringify({
        access_token: 'secret-token-value',
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'business.api',
      }),
    )
    expect(token.accessToken).toBe('secret-token-value')
    expect(token.expiresIn).toBe(3600)
    expect(token.scope).toBe('business.api')
    expect(JSON.stringify(token)).not.toContain('secret-token-value')
    expect(Object.keys(token)).not.toContain('accessToken')
  })

  it.each([
    ['not JSON', 'oops'],
    ['no token', { expires_in: 3600 }],
    ['empty token', { access_token: '', expires_in: 3600 }],
    ['no expiry', { access_token: 'x' }],
    ['an array', [1]],
  ])('calls a 200 with %s a bad response', (_name, body) => {
    const error = failure(200, body)
    expect(error.code).toBe('bad_response')
    expect(error.message).toContain('HTTP 200')
  })

  it('names a revoked or unknown key invalid_client', () => {
    const error = failure(401, { error: 'invalid_client', error_description: 'unknown' })
    expect(error.code).toBe('invalid_client')
    expect(error.message).toBe(
      'Apple rejected this key: check the Client ID and Key ID, or the key was revoked.',
    )
    expect(toAppError(error)).toMatchObject({ code: 'auth_failed', reason: 'invalid_client' })
  })

  it("quotes Apple's error code and description", () => {
    const scope = failure(400, { error: 'invalid_scope', error_description: 'scope not allowed' })
    expect(scope.code).toBe('rejected')
    expect(scope.message).toBe('Apple refused the request (invalid_scope: scope not allowed).')
    const request = failure(400, { error: 'invalid_request' })
    expect(request.code).toBe('invalid_request')
    expect(request.message).toBe('Apple refused the request (invalid_request).')
  })

  it('keeps a hostile description to one short line', () => {
    const error = failure(400, {
      error: 'invalid_grant',
      error_description: `line one\r\nFAKE: line two\u0000${'x'.repeat(500)}`,
    })
    expect(error.message).not.toMatch(/[\r\n]/)
    expect(error.message).not.toContain('\u0000')
    expect(error.message).toContain('line one FAKE: line two')
    expect(error.message.length).toBeLessThan(260)
  })

  it('hides token-like text before cutting, and quotes only real error codes', () => {
    const jwt = `eyJhbGciOiJFUzI1NiJ9.${'eyJpc3MiOiJCVVNJTkVTU0FQSS4x'.repeat(4)}.${'Ab_9-'.repeat(20)}`
    const cut = failure(400, {
      error: 'invalid_grant',
      error_description: `${'word '.repeat(36)}${jwt}`,
    })
    expect(cut.message).toContain('invalid_grant: word word')
    expect(cut.message).toContain('[hidden]')
    expect(cut.message).not.toMatch(/eyJ|[\w-]{24,}/)
    const opaque = failure(400, {
      error: 'invalid_grant',
      error_description: `token ${'q'.repeat(30)} and ${'Zm9vYmFy'.repeat(4)}=`,
    })
    expect(opaque.message).toBe(
      'Apple refused the request (invalid_grant: token [hidden] and [hidden]).',
    )
    const id = '0b6b4a4e-9f3c-4a51-9d35-7c1c8f0f2a11'
    const named = failure(400, { error: 'invalid_request', error_description: `kid ${id} unknown` })
    expect(named.message).toContain(id)
    const echoed = failure(400, { error: jwt, error_description: 'no' })
    expect(echoed.message).toBe('Apple refused the request (HTTP 400).')
  })

  it('falls back to the status for a 4xx without an OAuth error', () => {
    const error = failure(403, '<html>Forbidden</html>')
    expect(error.code).toBe('rejected')
    expect(error.message).toBe('Apple refused the request (HTTP 403).')
  })

  it('reports 5xx as a problem on Apple’s side', () => {
    const error = failure(503, '')
    expect(error.code).toBe('server')
    expect(error.message).toBe(
      "Apple's sign-in service had a problem (HTTP 503). Try again in a few minutes.",
    )
  })

  it('does not follow a redirect', () => {
    expect(failure(302, '').code).toBe('bad_response')
  })
})
