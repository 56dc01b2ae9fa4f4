import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isAppUrl } from '../../../main/security/app-origin'
import { CONTENT_SECURITY_POLICY, withCspMetaTag } from '../../../main/security/csp'
import { rendererFileFor } from '../../../main/security/renderer-files'

describe('the renderer’s origin and policy', () => {
  it('trusts only app://renderer, and the dev server only when one is running', () => {
    expect(isAppUrl('app://renderer/index.html')).toBe(true)
    expect(isAppUrl('app://other/index.html')).toBe(false)
    expect(isAppUrl('file:///etc/passwd')).toBe(false)
    expect(isAppUrl('https://renderer/index.html')).toBe(false)
    expect(isAppUrl('not a url')).toBe(false)
    expect(isAppUrl('http://localhost:5173/')).toBe(false)
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173')).toBe(true)
    expect(isAppUrl('http://localhost:5174/x', 'http://localhost:5173')).toBe(false)
  })

  it('writes the served CSP word for word into the built index.html', () => {
    const html = withCspMetaTag(
      readFileSync(join(import.meta.dirname, '../../../renderer/index.html'), 'utf8'),
    )
    const meta = /<head>\s*<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY)
  })

  it('allows no inline script, no eval and no remote origin', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/)
  })
})

describe('rendererFileFor', () => {
  const root = '/opt/app/renderer'

  it('maps paths inside the built renderer, / to index.html', () => {
    expect(rendererFileFor(root, '/')).toBe('/opt/app/renderer/index.html')
    expect(rendererFileFor(root, '/assets/index-1.js')).toBe('/opt/app/renderer/assets/index-1.js')
  })

  it.each([
    ['a parent-folder escape', '/../main/index.js'],
    ['an encoded escape', '/%2e%2e/%2e%2e/etc/passwd'],
    ['a malformed escape', '/%E0%A4%A'],
    ['a NUL byte', '/index.html%00.js'],
  ])('refuses %s', (_label, pathname) => {
    expect(rendererFileFor(root, pathname)).toBeNull()
  })
})
