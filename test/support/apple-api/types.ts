// The shapes a test hands the Apple API fake and reads back from it.
import type { Scope } from '../../../preload/model'
import type { ClientRegistration } from '../oauth-token-check'

/** An org device as Apple sends it: `attributes` holds the quirks (omitted keys, string or array). */
export interface FakeDevice {
  /** Apple's opaque resource id; equals the serial number so far. */
  id: string
  attributes: { serialNumber: string } & Record<string, unknown>
}

export interface AppleCareAttributes {
  description: string
  status: 'ACTIVE' | 'INACTIVE'
  paymentType: 'ABE_SUBSCRIPTION' | 'PAID_UP_FRONT' | 'SUBSCRIPTION' | 'NONE'
  startDateTime: string
  endDateTime: string | null
  agreementNumber: string | null
  isRenewable: boolean
  isCanceled: boolean
  contractCancelDateTime: string | null
}

/** One coverage plan; `id` is the stable plan key (serial, agreement number or `abe-<serial>`). */
export interface AppleCareRecord {
  id: string
  attributes: AppleCareAttributes
}

/** What the coverage route answers for a device (a device without an entry answers `empty`). */
export type FakeCoverage =
  { records: AppleCareRecord[] } | 'empty' | 'notFound' | 'forbidden' | 'badRequest'

export interface FakeMdmServer {
  id: string
  attributes: Record<string, unknown>
}

/** `lockType` values beyond NONE are unconfirmed (apple-api-sync.md §7): MDM, USER. */
export interface FakeActivationLock {
  isLocked: boolean
  lockType: string
}

export interface FakeOrgInput {
  scope: Scope
  devices: FakeDevice[]
  /** serial → coverage; absent serials answer `empty`. */
  coverage?: Record<string, FakeCoverage>
  servers?: FakeMdmServer[]
  /** serial → MDM server id. */
  assignments?: Record<string, string>
}

export interface FakeOrg {
  id: string
  scope: Scope
  /** An org can have several API accounts (old and new key during a rotation). */
  addClient(client: ClientRegistration): void
  /** Off the list; the single read answers 200 with `releasedFromOrgDateTime`; an audit event. */
  release(serial: string, at?: Date): void
  /** Off the list; the single read answers 404. */
  purge(serial: string): void
  /** Adds a device at the end of the list (or brings a released or purged one back). */
  add(device: FakeDevice): void
  setCoverage(serial: string, coverage: FakeCoverage): void
  /** Assigns a device to an MDM server, or unassigns it with null. */
  assign(serial: string, serverId: string | null): void
  /** What `…/activationLockStatus` answers; unlocked (`NONE`) unless set. */
  setActivationLock(serial: string, lock: FakeActivationLock): void
  /** Bumps `updatedDateTime` (always to a later instant than before). */
  touch(serial: string): void
  /** The devices on the list, in list order. */
  devices(): FakeDevice[]
}

export type RouteName =
  | 'token'
  | 'orgDevices'
  | 'orgDevice'
  | 'coverage'
  | 'assignedServerLinkage'
  | 'assignedServer'
  | 'activationLockStatus'
  | 'mdmServers'
  | 'serverDevicesLinkage'
  | 'serverDevices'
  | 'auditEvents'
  | 'unknown'

/** How a scripted fault answers a request it matches. */
export type FaultAction =
  | {
      status: number
      /** Seconds, or `'date'` for an HTTP-date two seconds ahead. */
      retryAfter?: number | 'date'
      /** Apple's JSON error body (default) or a proxy's HTML page. */
      body?: 'html' | 'json'
    }
  | { reset: 'headers' | 'body' }
  | {
      delayMs: number
      /** Only the first attempt of each distinct request (path and query) is delayed. */
      firstAttemptOnly?: boolean
    }

export type Fault = {
  route: Exclude<RouteName, 'unknown'>
  serial?: string
  /** 1-based page of a walk: the first page has no cursor, page n+1 uses page n's cursor. */
  page?: number
  /** How many matching requests it answers; default 1, `Infinity` for all. */
  times?: number
} & FaultAction

export interface RequestLogEntry {
  method: string
  route: RouteName
  path: string
  query: Record<string, string>
  orgId?: string
  clientId?: string
  /** A short name of the token used (`t1`, `t2`…), never the token itself. */
  tokenId?: string
  /** Which TCP connection carried it (1, 2…), to see reconnects. */
  connectionId: number
  startedAt: number
  endedAt?: number
  /** null when no status line was sent (a reset before the headers, or still pending). */
  status: number | null
  /** The fault or limit that answered it, if any (`status 429`, `reset body`, `ceiling`…). */
  fault?: string
}

export interface AppleApiFakeOptions {
  latencyMs?: number
  tokenTtlSeconds?: number
}

export interface AppleApiFake {
  /** http://127.0.0.1:PORT/auth/oauth2/token, with the checks of oauth-token-check.ts. */
  tokenUrl: string
  /** http://127.0.0.1:PORT; API requests go to `${apiUrl}/v1/orgDevices` etc. */
  apiUrl: string
  addOrg(org: FakeOrgInput): FakeOrg
  /** Token requests then get invalid_client; that client's live tokens get 401. */
  revoke(clientId: string): void
  /** Every token issued so far is expired: the next API call with one gets 401. */
  expireTokens(): void
  /** Cursors issued so far get 400 (stale cursor). */
  invalidateCursors(): void
  faults: { add(fault: Fault): void; clear(): void }
  /** Delay before every answer, token endpoint included. */
  latencyMs: number
  /** `expires_in` of tokens issued from now on. */
  tokenTtlSeconds: number
  /** A keep-alive connection that has carried n responses is reset on its next request. */
  connectionBudget?: number
  /** API requests in flight beyond `limit` are reset before the headers, or get 429. */
  concurrencyCeiling?: { limit: number; action: 'reset' | '429' }
  /** Per-org token bucket over API requests → 429 with Retry-After. */
  rateLimit?: { perSecond: number; burst: number }
  /** Unknown `fields[…]` names get 400 (default true); false ignores them. */
  strictFields: boolean
  /** Adds `meta.paging.total` to paged answers (default false). */
  pagingTotal: boolean
  /** Apple's example flaw: linkage `links.*` on `https://api-business.apple` (default false). */
  linkageHostTypo: boolean
  requests: RequestLogEntry[]
  /**
   * Called as each request arrives, before any check: a test uses it to change the world at an
   * exact point of a run (expire tokens at the 50th coverage call, revoke a key, release a device).
   * The request it is called for already meets the change.
   */
  onRequest?: (entry: RequestLogEntry) => void
  /** Non-GET API calls, unknown routes, a bad Accept header: a test can assert it stays empty. */
  unexpected: string[]
  /** Token requests received (all outcomes), for one client or all. */
  tokenRequests(clientId?: string): number
  /** The most API requests that were in flight at once. */
  peakInFlight(): number
  /** Also ends hanging requests. */
  close(): Promise<void>
}
