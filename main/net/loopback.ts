// Test endpoints (a token URL, an API base URL) may only name this computer: a variable left in a
// shell profile must never send a signed assertion or an access token to another host.

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** An endpoint override that is unusable. Only developers and tests set one. */
export class EndpointOverrideError extends Error {
  override name = 'EndpointOverrideError'
  readonly code = 'invalid_input' as const
}

export interface OverrideOptions {
  packaged: boolean
  env?: NodeJS.ProcessEnv
}

/**
 * The loopback URL in `variable`, or undefined when it is unset (always, in a packaged build).
 * `usedFor` names what the real endpoint is, for the message that refuses a non-loopback one.
 */
export function loopbackOverride(
  variable: string,
  usedFor: string,
  options: OverrideOptions,
): URL | undefined {
  const value = (options.env ?? process.env)[variable]?.trim()
  if (options.packaged || !value) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new EndpointOverrideError(`${variable} is not a URL.`)
  }
  if ((url.protocol === 'https:' || url.protocol === 'http:') && isLoopbackHost(url.hostname)) {
    return url
  }
  // protocol and host only: a user name or password in the URL is not repeated.
  throw new EndpointOverrideError(
    `${variable} may only point at a test server on this computer ` +
      `(localhost, 127.0.0.1 or [::1], over http or https); ${url.protocol}//${url.host} is not one. ` +
      `Unset ${variable} to use ${usedFor}.`,
  )
}
