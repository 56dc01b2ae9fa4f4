import { describe, expect, it } from 'vitest'
import { APPLE_TOKEN_URL, TokenUrlError, resolveTokenUrl } from '../../../main/auth/token-client'

const env = (url: string): NodeJS.ProcessEnv => ({ AXM_OAUTH_TOKEN_URL: url })

describe('resolveTokenUrl', () => {
  it("uses Apple's token URL without an override", () => {
    expect(APPLE_TOKEN_URL).toBe('https://account.apple.com/auth/oauth2/token')
    expect(resolveTokenUrl({ packaged: false, env: {} })).toBe(APPLE_TOKEN_URL)
    expect(resolveTokenUrl({ packaged: false, env: env('  ') })).toBe(APPLE_TOKEN_URL)
  })

  it('ignores the override in a packaged build, even an unusable one', () => {
    expect(resolveTokenUrl({ packaged: true, env: env('http://127.0.0.1:9/token') })).toBe(
      APPLE_TOKEN_URL,
    )
    expect(resolveTokenUrl({ packaged: true, env: env('http://evil.example/token') })).toBe(
      APPLE_TOKEN_URL,
    )
  })

  it.each([
    'http://127.0.0.1:4567/auth/oauth2/token',
    'http://localhost:4567/token',
    'http://[::1]:4567/token',
    'https://staging.example.com/token',
  ])('accepts %s outside a packaged build', (url) => {
    expect(resolveTokenUrl({ packaged: false, env: env(url) })).toBe(url)
  })

  it.each([
    'http://example.com/token',
    'http://127.0.0.1.example.com/token',
    'http://10.0.0.5/token',
    'ftp://127.0.0.1/token',
    'not a url',
  ])('refuses %s', (url) => {
    expect(() => resolveTokenUrl({ packaged: false, env: env(url) })).toThrow(TokenUrlError)
  })

  it('says what is allowed without echoing credentials in the URL', () => {
    expect(() =>
      resolveTokenUrl({ packaged: false, env: env('http://user:hunter2@example.com/token') }),
    ).toThrow(/must be an https URL, or http to this computer only.*http:\/\/example\.com is/)
    expect(() =>
      resolveTokenUrl({ packaged: false, env: env('http://user:hunter2@example.com/token') }),
    ).not.toThrow(/hunter2/)
  })
})
