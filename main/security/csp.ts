// The renderer's Content Security Policy. Sent as a header by the app:// protocol handler (and by
// the e2e harness, so tests run under the very same policy) and repeated in index.html's meta tag.
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
