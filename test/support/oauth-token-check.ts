// Apple's checks of a token request, shared by the loopback token endpoints (the OAuth fake and
// the Apple API fake): the form fields, the ES256 signature against the registered public key,
// every claim Apple checks, and that no assertion is used twice.
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { APPLE_ASSERTION_AUDIENCE } from '../../main/auth/client-assertion'

export const TOKEN_PATH = '/auth/oauth2/token'
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const CLOCK_SKEW_SECONDS = 60
/** The longest assertion lifetime Apple accepts. */
const MAX_LIFETIME_SECONDS = 180 * 24 * 60 * 60

export interface ClientRegistration {
  clientId: string
  keyId: string
  publicKeyPem: string
}

/** An OAuth error answer (RFC 6749 §5.2); `reason` is what the test log records. */
export class Refusal {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
  ) {}
}

interface RegisteredClient {
  keyId: string
  publicKey: KeyObject
  revoked: boolean
}

export class TokenRequestChecker {
  readonly #clients = new Map<string, RegisteredClient>()
  readonly #usedJtis = new Set<string>()

  /** Registering a client again replaces its key and lifts a revocation. */
  register(client: ClientRegistration): void {
    this.#clients.set(client.clientId, {
      keyId: client.keyId,
      publicKey: createPublicKey(client.publicKeyPem),
      revoked: false,
    })
  }

  revoke(clientId: string): void {
    const client = this.#clients.get(clientId)
    if (client) client.revoked = true
  }

  /**
   * Checks a token request as Apple does; returns the granted scope or throws a Refusal.
   * `refuseClient` makes a known, unrevoked client fail as if its key were rejected.
   */
  check(request: IncomingMessage, form: URLSearchParams, refuseClient = false): string {
    if (
      request.method !== 'POST' ||
      new URL(request.url ?? '/', 'http://x').pathname !== TOKEN_PATH
    ) {
      throw new Refusal(404, 'invalid_request', 'not the token endpoint')
    }
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      throw new Refusal(400, 'invalid_request', 'body is not form-encoded')
    }
    if (form.get('grant_type') !== 'client_credentials') {
      throw new Refusal(400, 'unsupported_grant_type', 'grant_type is not client_credentials')
    }
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) {
      throw new Refusal(400, 'invalid_request', 'client_assertion_type is not jwt-bearer')
    }
    const clientId = form.get('client_id') ?? ''
    const client = this.#clients.get(clientId)
    if (!client) throw clientRefusal('unknown client')
    if (client.revoked) throw clientRefusal('client revoked')
    if (refuseClient) throw clientRefusal('forced by test')
    const scope = form.get('scope')
    if (scope !== scopeOf(clientId)) {
      throw new Refusal(400, 'invalid_scope', `scope ${scope ?? '(none)'} is not granted`)
    }
    this.#checkAssertion(form.get('client_assertion') ?? '', clientId, client)
    return scope
  }

  #checkAssertion(assertion: string, clientId: string, client: RegisteredClient): void {
    const [headerPart, claimsPart, signaturePart, ...rest] = assertion.split('.')
    if (!headerPart || !claimsPart || !signaturePart || rest.length > 0) {
      throw clientRefusal('assertion is not a compact JWS')
    }
    const header = decodeJsonPart(headerPart)
    const claims = decodeJsonPart(claimsPart)
    if (header.alg !== 'ES256') throw clientRefusal('alg is not ES256')
    if (header.kid !== client.keyId) throw clientRefusal('kid does not match the key id')
    const signature = Buffer.from(signaturePart, 'base64url')
    const signed = Buffer.from(`${headerPart}.${claimsPart}`)
    if (
      signature.length !== 64 ||
      !verify('sha256', signed, { key: client.publicKey, dsaEncoding: 'ieee-p1363' }, signature)
    ) {
      throw clientRefusal('signature does not verify')
    }
    checkClaims(claims, clientId)
    const jti = claims.jti as string
    if (this.#usedJtis.has(jti)) throw clientRefusal('jti already used')
    this.#usedJtis.add(jti)
  }
}

function checkClaims(claims: Record<string, unknown>, clientId: string): void {
  const now = Math.floor(Date.now() / 1000)
  const { iss, sub, aud, iat, exp, jti } = claims
  if (iss !== clientId || sub !== clientId) throw clientRefusal('iss and sub must be the client id')
  if (aud !== APPLE_ASSERTION_AUDIENCE) throw clientRefusal('wrong aud')
  if (typeof iat !== 'number' || typeof exp !== 'number') throw clientRefusal('iat or exp missing')
  if (exp <= now) throw clientRefusal('assertion expired')
  if (iat > now + CLOCK_SKEW_SECONDS) throw clientRefusal('iat is in the future')
  if (exp <= iat || exp - iat > MAX_LIFETIME_SECONDS) throw clientRefusal('lifetime out of range')
  if (typeof jti !== 'string' || jti === '') throw clientRefusal('jti missing')
}

const clientRefusal = (reason: string): Refusal => new Refusal(401, 'invalid_client', reason)

/** The scope Apple grants a Client ID, read from its prefix. */
export function scopeOf(clientId: string): string | undefined {
  if (clientId.startsWith('BUSINESSAPI.')) return 'business.api'
  if (clientId.startsWith('SCHOOLAPI.')) return 'school.api'
  return undefined
}

function decodeJsonPart(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>
  } catch {
    // fall through to the refusal
  }
  throw clientRefusal('assertion part is not base64url JSON')
}
