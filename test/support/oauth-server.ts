// A stand-in for Apple's OAuth token endpoint on 127.0.0.1, for tests only. It speaks the same
// protocol and really checks what it is sent (oauth-token-check.ts holds the checks).
import { execFileSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Scope } from '../../preload/model'
import { closeServer, readBody, sendJson } from './loopback-http'
import {
  TOKEN_PATH,
  Refusal,
  TokenRequestChecker,
  type ClientRegistration,
} from './oauth-token-check'
import { makeP256Key } from './openssl-keys'

export { TOKEN_PATH } from './oauth-token-check'

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
  register(client: ClientRegistration): void
  revoke(clientId: string): void
  /** How the next requests are answered; `hang` never answers. */
  mode: OAuthServerMode
  requests: Array<{ clientId: string; ok: boolean; reason?: string }>
  /** Also ends requests left hanging, so a test run can exit. */
  close(): Promise<void>
}

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

class LoopbackOAuthServer implements OAuthTestServer {
  url = ''
  mode: OAuthServerMode = 'normal'
  requests: OAuthTestServer['requests'] = []
  readonly #checker = new TokenRequestChecker()
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

  register(client: ClientRegistration): void {
    this.#checker.register(client)
  }

  revoke(clientId: string): void {
    this.#checker.revoke(clientId)
  }

  close(): Promise<void> {
    return closeServer(this.#server)
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
      const scope = this.#checker.check(request, form, this.mode === 'invalid_client')
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
}
