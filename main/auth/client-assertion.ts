// The client assertion Apple's token endpoint accepts in place of a client secret: a JWT signed
// with the credential's EC P-256 private key (ES256), as "Implementing OAuth for the Apple School
// Manager and Apple Business API" describes it.
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto'
import type { ErrorCode } from '../../preload/contract'

export const APPLE_ASSERTION_AUDIENCE = 'https://account.apple.com/auth/oauth2/v2/token'

export const DEFAULT_ASSERTION_LIFETIME_SECONDS = 300
/** Apple accepts far longer, but an assertion is used once, right away: a leaked one dies fast. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 15 * 60

/** The private key cannot sign an ES256 assertion. The message never holds key material. */
export class ClientAssertionError extends Error {
  override name = 'ClientAssertionError'
  readonly code: ErrorCode = 'key_invalid'
}

export interface ClientAssertionInput {
  clientId: string
  keyId: string
  privateKeyPem: string
  now?: Date
  lifetimeSeconds?: number
  jti?: string
}

export function createClientAssertion(input: ClientAssertionInput): string {
  const lifetime = input.lifetimeSeconds ?? DEFAULT_ASSERTION_LIFETIME_SECONDS
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw new RangeError(
      `Assertion lifetime must be 1 to ${MAX_ASSERTION_LIFETIME_SECONDS} seconds, not ${lifetime}`,
    )
  }
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000)
  return signJws(
    { alg: 'ES256', kid: input.keyId, typ: 'JWT' },
    {
      iss: input.clientId,
      sub: input.clientId,
      aud: APPLE_ASSERTION_AUDIENCE,
      iat,
      exp: iat + lifetime,
      jti: input.jti ?? randomUUID(),
    },
    p256PrivateKey(input.privateKeyPem),
  )
}

/**
 * A compact JWS over the given header and claims, signed ES256. JWS wants the raw 64-byte r||s
 * signature (RFC 7518 §3.4), not the DER form node:crypto produces by default.
 */
export function signJws(header: object, claims: object, privateKey: KeyObject): string {
  const signingInput = `${base64urlJson(header)}.${base64urlJson(claims)}`
  const signature = sign('sha256', Buffer.from(signingInput), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  })
  return `${signingInput}.${signature.toString('base64url')}`
}

function base64urlJson(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function p256PrivateKey(pem: string): KeyObject {
  let key: KeyObject
  try {
    key = createPrivateKey(pem)
  } catch {
    // node:crypto's parse errors say nothing useful to a helpdesk and are not passed on.
    throw new ClientAssertionError(
      'The stored private key could not be read, so no sign-in request could be signed.',
    )
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ClientAssertionError(
      'The stored private key is not an EC P-256 key, so Apple would not accept its signature.',
    )
  }
  return key
}
