// A stand-in for Apple's OAuth token endpoint on 127.0.0.1, for tests only. It speaks the same
// protocol and really checks what it is sent: the form fields, the ES256 signature against the
// registered public key, every claim Apple checks, and that no assertion is used twice.
import { execFileSync } from 'node:child_process'
import { createPublicKey, randomBytes, randomUUID, verify, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { APPLE_ASSERTION_AUDIENCE } from '../../main/auth/client-assertion'
import type { Scope } from '../../preload/model'
import { makeP256Key } from './openssl-keys'

export type OAuthServerMode =
  | 'normal'
  | 'invalid_client'
  | 'server_error'
  | 'hang'
  /** A careless endpoint: refuses with the assertion quoted in its error and its description. */
  | 'echo_assertion'

export interface OAuthTestServer {
  /** The token URL to send requests to. */
  url: string
  /** Registering a client again replaces its key and lifts a revocation. */
  register(client: { clientId: string; keyId: string; publicKeyPem: string }): void
  revoke(clientId: string): void
  /** How the next requests are answered; `hang` never answers. */
  mode: OAuthServerMode
  requests: Array<{ clientId: string; ok: boolean; reason?: string }>
  /** Also ends requests left hanging, so a test run can exit. */
  close(): Promise<void>
}

export const TOKEN_PATH = '/auth/oauth2/token'
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const CLOCK_SKEW_SECONDS = 60
/** The longest assertion lifetime Apple accepts. */
const MAX_LIFETIME_SECONDS = 180 * 24 * 60 * 60
const MAX_BODY_BYTES = 64 * 1024

/** The public half of a private key file, as the openssl command line computes it. */
export function publicKeyPemOf(privateKeyPath: string): string {
  return execFileSync('openssl', ['pkey', '-in', privateKeyPath, '-pubout'], { encoding: 'utf8' })
}

export interface TestClient {
  clientId: string
  keyId: string
  scope: Scope
  keyPath: string
  privateKeyPem: string
  publicKeyPem: string
}

/** A new API account as Apple would issue it: fresh ids and an openssl-made P-256 key in `dir`. */
export function makeTestClient(dir: string, scope: Scope = 'business'): TestClient {
  const prefix = scope === 'school' ? 'SCHOOLAPI' : 'BUSINESSAPI'
  const keyId = randomUUID()
  const keyPath = makeP256Key(dir, `${keyId}.pem`)
  return {
    clientId: `${prefix}.${randomUUID()}`,
    keyId,
    scope,
    keyPath,
    privateKeyPem: readFileSync(keyPath, 'utf8'),
    publicKeyPem: publicKeyPemOf(keyPath),
  }
}

export async function startOAuthTestServer(): Promise<OAuthTestServer> {
  const server = new LoopbackOAuthServer()
  await server.listen()
  return server
}

interface RegisteredClient {
  keyId: string
  publicKey: KeyObject
  revoked: boolean
}

/** An OAuth error answer (RFC 6749 §5.2); `reason` is what the test log records. */
class Refusal {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
  ) {}
}

class LoopbackOAuthServer implements OAuthTestServer {
  url = ''
  mode: OAuthServerMode = 'normal'
  requests: OAuthTestServer['requests'] = []
  readonly #clients = new Map<string, RegisteredClient>()
  readonly #usedJtis = new Set<string>()
  readonly #server: Server = createServer((request, response) => {
    this.#answer(request, response).catch((error: unknown) => {
      console.error('oauth test server failed:', error)
      response.destroy()
    })
  })

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    const { port } = this.#server.address() as AddressInfo
    this.url = `http://127.0.0.1:${port}${TOKEN_PATH}`
  }

  register(client: { clientId: string; keyId: string; publicKeyPem: string }): void {
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

  async close(): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve, reject) =>
      this.#server.close((error) => (error ? reject(error) : resolve())),
    )
  }

  async #answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request))
    const clientId = form.get('client_id') ?? ''
    if (this.mode === 'hang') {
      this.requests.push({ clientId, ok: false, reason: 'hang' })
      return
    }
    if (this.mode === 'server_error') {
      this.requests.push({ clientId, ok: false, reason: 'server_error' })
      sendJson(response, 500, { error: 'server_error' })
      return
    }
    if (this.mode === 'echo_assertion') {
      const assertion = form.get('client_assertion') ?? ''
      this.requests.push({ clientId, ok: false, reason: 'echo_assertion' })
      const padding = 'the assertion that was sent is quoted here for debugging: '.repeat(3)
      sendJson(response, 400, {
        error: assertion,
        error_description: `${padding}${assertion} (${assertion.replaceAll('.', ' ')})`,
      })
      return
    }
    try {
      const scope = this.#verify(request, form)
      this.requests.push({ clientId, ok: true })
      sendJson(response, 200, {
        access_token: randomBytes(32).toString('base64url'),
        token_type: 'Bearer',
        expires_in: 3600,
        scope,
      })
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      this.requests.push({ clientId, ok: false, reason: error.reason })
      sendJson(response, error.status, { error: error.error, error_description: error.reason })
    }
  }

  /** Checks a token request as Apple does; returns the granted scope or throws a Refusal. */
  #verify(request: IncomingMessage, form: URLSearchParams): string {
    if (
      request.method !== 'POST' ||
      new URL(request.url ?? '/', this.url).pathname !== TOKEN_PATH
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
    if (this.mode === 'invalid_client') throw clientRefusal('forced by test')
    const scope = form.get('scope')
    if (scope !== scopeOf(clientId)) {
      throw new Refusal(400, 'invalid_scope', `scope ${scope ?? '(none)'} is not granted`)
    }
    this.#verifyAssertion(form.get('client_assertion') ?? '', clientId, client)
    return scope
  }

  #verifyAssertion(assertion: string, clientId: string, client: RegisteredClient): void {
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
    verifyClaims(claims, clientId)
    const jti = claims.jti as string
    if (this.#usedJtis.has(jti)) throw clientRefusal('jti already used')
    this.#usedJtis.add(jti)
  }
}

function verifyClaims(claims: Record<string, unknown>, clientId: string): void {
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

function scopeOf(clientId: string): string | undefined {
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

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) break
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  response.end(JSON.stringify(body))
}
