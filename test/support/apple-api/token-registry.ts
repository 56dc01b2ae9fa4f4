// The access tokens the fake's token endpoint issued. The API accepts only a token found here that
// is neither expired nor revoked; what it returns tells the request which org and client it is.
import { randomBytes } from 'node:crypto'

export interface IssuedToken {
  token: string
  /** A short name for the request log, so the token itself is never logged. */
  tokenId: string
  clientId: string
  orgId: string
  /** As granted: `business.api` or `school.api`. */
  scope: string
  issuedAt: number
  expiresAt: number
  revoked: boolean
}

export type TokenCheck = { ok: true; token: IssuedToken } | { ok: false; reason: string }

export class TokenRegistry {
  readonly #tokens = new Map<string, IssuedToken>()

  issue(input: {
    clientId: string
    orgId: string
    scope: string
    ttlSeconds: number
  }): IssuedToken {
    const issuedAt = Date.now()
    const issued: IssuedToken = {
      token: randomBytes(32).toString('base64url'),
      tokenId: `t${this.#tokens.size + 1}`,
      clientId: input.clientId,
      orgId: input.orgId,
      scope: input.scope,
      issuedAt,
      expiresAt: issuedAt + input.ttlSeconds * 1000,
      revoked: false,
    }
    this.#tokens.set(issued.token, issued)
    return issued
  }

  /** Reads an `Authorization` header value. */
  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer ([\w.~+/=-]+)$/.exec(authorization ?? '')
    if (!match) return { ok: false, reason: 'no bearer token' }
    const issued = this.#tokens.get(match[1] as string)
    if (!issued) return { ok: false, reason: 'token not issued here' }
    if (issued.revoked) return { ok: false, reason: 'token revoked' }
    if (Date.now() >= issued.expiresAt) return { ok: false, reason: 'token expired' }
    return { ok: true, token: issued }
  }

  revokeClient(clientId: string): void {
    for (const issued of this.#tokens.values()) {
      if (issued.clientId === clientId) issued.revoked = true
    }
  }

  expireAll(): void {
    const now = Date.now()
    for (const issued of this.#tokens.values()) issued.expiresAt = Math.min(issued.expiresAt, now)
  }
}
