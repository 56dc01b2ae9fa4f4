import { describe, expect, it } from 'vitest'
import { APPLE_TOKEN_URL, resolveTokenUrl, tokenUrlOverride } from '../../../main/auth/token-client'
import { EndpointOverrideError } from '../../../main/net/loopback'

const env = (url: string): NodeJS.ProcessEnv => ({ AXM_OAUTH_TOKEN_URL: url })

describe('resolveTokenUrl', () => {
  it("uses Apple's token URL without an override", () => {
    expect(APPLE_TOKEN_URL).toBe('https://account.apple.com/auth/oauth2/token')
    expect(resolveTokenUrl({ packaged: false, env: {} })).toBe(APPLE_TOKEN_URL)
    expect(resolveTokenUrl({ packaged: false, env: env('  ') })).toBe(APPLE_TOKEN_URL)
    expect(tokenUrlOverride({ packaged: false, env: {} })).toBeUndefined()
  })

  it('ignores the override in a packaged build, even an unusable one', () => {
    expect(resolveTokenUrl({ packaged: true, env: env('http://127.0.0.1:9/token') })).toBe(
      APPLE_TOKEN_URL,
    )
    expect(resolveTokenUrl({ packaged: true, env: env('http://evil.example/token') })).toBe(
      APPLE_TOKEN_URL,
    )
    expect(tokenUrlOverride({ packaged: true, env: env('http://127.0.0.1:9/token') })).toBe(
      undefined,
    )
  })

  it.each([
    'http://127.0.0.1:4567/auth/oauth2/token',
    'https://127.0.0.1:4567/auth/oauth2/token',
    'http://127.45.6.7:4567/token',
    'http://localhost:4567/token',
    'https://localhost/token',
    'http://[::1]:4567/token',
  ])('accepts the loopback endpoint %s outside a packaged build', (url) => {
    expect(resolveTokenUrl({ packaged: false, env: env(url) })).toBe(url)
    expect(tokenUrlOverride({ packaged: false, env: env(url) })?.href).toBe(url)
  })

  it('names the origin in effect, for the warning that an override is used', () => {
    const override = tokenUrlOverride({
      packaged: false,
      env: env(' http://127.0.0.1:4567/auth/oauth2/token '),
    })
    expect(override?.origin).toBe('http://127.0.0.1:4567')
  })

  it.each([
    'https://staging.example.com/token',
    'https://account.apple.com/auth/oauth2/token',
    'http://example.com/token',
    'http://127.0.0.1.example.com/token',
    'https://localhost.example.com/token',
    'http://10.0.0.5/token',
    'https://[::ffff:10.0.0.5]/token',
    'ftp://127.0.0.1/token',
    'not a url',
  ])('refuses %s, which is not this computer over http(s)', (url) => {
    expect(() => resolveTokenUrl({ packaged: false, env: env(url) })).toThrow(EndpointOverrideError)
    expect(() => tokenUrlOverride({ packaged: false, env: env(url) })).toThrow(
      EndpointOverrideError,
    )
  })

  it('says what is allowed without echoing credentials in the URL', () => {
    const unusable = env('https://user:hunter2@example.com/token')
    expect(() => resolveTokenUrl({ packaged: false, env: unusable })).toThrow(
      'AXM_OAUTH_TOKEN_URL may only point at a test server on this computer ' +
        '(localhost, 127.0.0.1 or [::1], over http or https); https://example.com is not one. ' +
        "Unset AXM_OAUTH_TOKEN_URL to use Apple's sign-in service.",
    )
    expect(() => resolveTokenUrl({ packaged: false, env: unusable })).not.toThrow(/hunter2/)
  })
})
