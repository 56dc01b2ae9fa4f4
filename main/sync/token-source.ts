// The access token of one tenant's sync, kept in memory only. It is reused until shortly before it
// expires, one exchange is shared by every request that needs a token meanwhile, and a 401 drops it
// so the next request makes a new one. Each exchange signs with the tenant's ACTIVE credential as
// the state file has it at that moment, so after a credential change the next token is the new
// key's. The private key is read from the keychain for the signature and not kept.
import type { Scope } from '../../preload/model'
import { AuthError } from '../auth/auth-error'
import { ClientAssertionError, createClientAssertion } from '../auth/client-assertion'
import { requestAccessToken } from '../auth/token-client'
import type { HttpFetch } from '../net/http'
import { KeychainUnavailableError, VaultError } from '../vault/errors'
import {
  keychainUnavailable,
  keyMissing,
  keyRejected,
  keyRevoked,
  keyUnusable,
  noActiveCredential,
} from './sync-errors'

export interface SigningCredential {
  credentialId: string
  clientId: string
  keyId: string
  scope: Scope
}

export interface TokenSourceDeps {
  http: HttpFetch
  tokenUrl: string
  /** The tenant's active credential now; undefined when it has none. */
  activeCredential(): SigningCredential | undefined
  privateKeyPem(credentialId: string): Promise<string>
  /** Told which credential each new token belongs to, so the run can record them all. */
  onIssued?(credentialId: string): void
  now?: () => number
}

export interface IssuedToken {
  /** Not enumerable: logging or serialising an IssuedToken does not reveal it. */
  readonly value: string
  readonly credentialId: string
}

/** A token is renewed this long before it expires, or at 80% of its life if that is shorter. */
const RENEW_BEFORE_MS = 5 * 60_000

/** Apple's sign-in service gave no verdict (network, timeout, 5xx): retry, like any request. */
export class TokenUnavailableError extends Error {
  override name = 'TokenUnavailableError'
  constructor(readonly detail: string) {
    super(`Apple's sign-in service did not answer (${detail}).`)
  }
}

export class AccessTokenSource {
  readonly #deps: TokenSourceDeps
  readonly #now: () => number
  #current: { token: IssuedToken; renewAt: number } | undefined
  #pending: Promise<IssuedToken> | undefined

  constructor(deps: TokenSourceDeps) {
    this.#deps = deps
    this.#now = deps.now ?? Date.now
  }

  /** The current token, or a new one shared with every caller waiting for it. */
  async token(signal?: AbortSignal): Promise<IssuedToken> {
    const current = this.#current
    if (current && this.#now() < current.renewAt) return current.token
    this.#pending ??= this.#exchange(signal).finally(() => {
      this.#pending = undefined
    })
    return this.#pending
  }

  /** Apple refused `token` (401): the next call makes a new one. A newer token is kept. */
  refused(token: IssuedToken): void {
    if (this.#current?.token.value === token.value) this.#current = undefined
  }

  /** Forget the token, e.g. after a credential change: the next one is signed by the new key. */
  reset(): void {
    this.#current = undefined
  }

  async #exchange(signal?: AbortSignal): Promise<IssuedToken> {
    const credential = this.#deps.activeCredential()
    if (!credential) throw noActiveCredential()
    const privateKeyPem = await this.#privateKey(credential.credentialId)
    const startedAt = this.#now()
    let accessToken: string
    let expiresIn: number
    try {
      const assertion = createClientAssertion({
        clientId: credential.clientId,
        keyId: credential.keyId,
        privateKeyPem,
        now: new Date(startedAt),
      })
      ;({ accessToken, expiresIn } = await requestAccessToken({
        tokenUrl: this.#deps.tokenUrl,
        clientId: credential.clientId,
        scope: credential.scope,
        assertion,
        signal,
        fetch: this.#deps.http,
      }))
    } catch (error) {
      throw translateTokenError(error, credential.scope)
    }
    const lifetimeMs = Math.max(0, expiresIn * 1000)
    const token = issuedToken(accessToken, credential.credentialId)
    const renewAt = startedAt + Math.max(lifetimeMs * 0.8, lifetimeMs - RENEW_BEFORE_MS)
    this.#current = { token, renewAt }
    this.#deps.onIssued?.(credential.credentialId)
    return token
  }

  async #privateKey(credentialId: string): Promise<string> {
    try {
      return await this.#deps.privateKeyPem(credentialId)
    } catch (error) {
      if (error instanceof KeychainUnavailableError) throw keychainUnavailable(error.message)
      if (error instanceof VaultError) throw keyMissing()
      throw error
    }
  }
}

function issuedToken(value: string, credentialId: string): IssuedToken {
  const token = { credentialId } as IssuedToken
  Object.defineProperty(token, 'value', { value, enumerable: false })
  return token
}

function translateTokenError(error: unknown, scope: Scope): unknown {
  if (error instanceof ClientAssertionError) return keyUnusable()
  if (!(error instanceof AuthError)) return error
  switch (error.code) {
    case 'invalid_client':
      return keyRevoked(scope)
    case 'invalid_request':
    case 'rejected':
      return keyRejected(
        scope,
        error.message.replace(/^Apple refused the request \((.*)\)\.$/, '$1'),
      )
    case 'canceled':
      return error
    default:
      return new TokenUnavailableError(error.code)
  }
}
