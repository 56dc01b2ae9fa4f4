// The renderer's Content Security Policy. Sent as a header by the app:// protocol handler (and by
// the e2e harness, so tests run under the very same policy) and written into the built index.html as
// a meta tag.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * Adds the policy to a built index.html. Only builds get it: the dev server's hot reload needs an
 * inline script the policy rightly refuses.
 */
export function withCspMetaTag(html: string): string {
  const tag = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`
  return html.replace(/<head>/i, `<head>\n    ${tag}`)
}
