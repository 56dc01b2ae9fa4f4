// Reads what Apple's token endpoint answered: an access token, or an OAuth error (RFC 6749 §5.2)
// turned into an AuthError a helpdesk person can act on.
import { AuthError, badResponse, invalidClient, refused, serverFailure } from './auth-error'

export interface AccessToken {
  accessToken: string
  expiresIn: number
  scope?: string
}

/** Apple's descriptions are short; anything longer is cut so a message stays readable. */
const MAX_DETAIL_LENGTH = 200

/** An OAuth error code as RFC 6749 uses them (`invalid_client`); anything else is not quoted. */
const OAUTH_ERROR_CODE = /^[a-z][a-z_]{0,39}$/

/**
 * What could be a token or an assertion an endpoint echoed: a JWT (its header starts `eyJ`, the
 * base64 of `{"`), whole or in part, and any long run of base64 or base64url characters (with or
 * without dots), which no word of a description is. Ids (a Client ID, a Key ID) are kept.
 */
const TOKEN_LIKE = /eyJ[\w-]*(?:\.[\w-]*){0,2}|[\w+/=.-]{24,}/g
const KNOWN_ID = /^(?:(?:BUSINESS|SCHOOL)API\.)?[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i
const HIDDEN = '[hidden]'

export function parseTokenResponse(status: number, body: string): AccessToken {
  if (status >= 200 && status < 300) return accessTokenFrom(status, body)
  if (status >= 500) throw serverFailure(status)
  if (status >= 400) throw oauthError(status, body)
  // Redirects are not followed: the assertion must go to the token URL and nowhere else.
  throw badResponse(status)
}

function accessTokenFrom(status: number, body: string): AccessToken {
  const json = parseJsonObject(body)
  const accessToken = json?.access_token
  const expiresIn = json?.expires_in
  if (typeof accessToken !== 'string' || accessToken === '' || typeof expiresIn !== 'number') {
    throw badResponse(status)
  }
  const token: AccessToken = { accessToken, expiresIn }
  if (typeof json?.scope === 'string') token.scope = json.scope
  // Not enumerable, so logging or serialising the result by mistake does not reveal the token.
  Object.defineProperty(token, 'accessToken', { enumerable: false })
  return token
}

function oauthError(status: number, body: string): AuthError {
  const json = parseJsonObject(body)
  const error =
    typeof json?.error === 'string' && OAUTH_ERROR_CODE.test(json.error) ? json.error : ''
  if (error === 'invalid_client') return invalidClient()
  if (error === '') return refused('rejected', `HTTP ${status}`)
  const description =
    typeof json?.error_description === 'string' ? cleanDetail(json.error_description) : ''
  const detail = description === '' ? error : `${error}: ${description}`
  return refused(error === 'invalid_request' ? 'invalid_request' : 'rejected', detail)
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * One line of printable text, so a server's answer cannot forge extra lines in a message, with
 * anything token-like hidden. Hidden before it is cut: a cut could leave a part no pattern knows.
 */
function cleanDetail(text: string): string {
  const line = text
    .replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ')
    .replace(TOKEN_LIKE, (run) => (KNOWN_ID.test(run) ? run : HIDDEN))
    .trim()
  return line.length > MAX_DETAIL_LENGTH ? `${line.slice(0, MAX_DETAIL_LENGTH - 1)}…` : line
}
