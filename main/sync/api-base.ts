// Where a tenant's API requests go: Apple's host for its scope, or (outside a packaged build) the
// loopback test server of AXM_APPLE_API_URL for both scopes.
import type { Scope } from '../../preload/model'
import { loopbackOverride, type OverrideOptions } from '../net/loopback'

export const API_URL_ENV = 'AXM_APPLE_API_URL'

const APPLE_API_BASES: Record<Scope, string> = {
  business: 'https://api-business.apple.com',
  school: 'https://api-school.apple.com',
}

/** The override in effect, or undefined when Apple's hosts are used (always, when packaged). */
export function apiUrlOverride(options: OverrideOptions): URL | undefined {
  return loopbackOverride(API_URL_ENV, "Apple's API", options)
}

/** Resolves a scope to its base URL (no trailing slash); paths start with /v1/. */
export type ApiBaseResolver = (scope: Scope) => string

export function apiBaseResolver(options: OverrideOptions): ApiBaseResolver {
  const override = apiUrlOverride(options)
  const base = override?.href.replace(/\/+$/, '')
  return (scope) => base ?? APPLE_API_BASES[scope]
}
