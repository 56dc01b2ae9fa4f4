// The loopback Apple Business/School Manager API fake: one listener on 127.0.0.1 serves the token
// endpoint and the API of every org added. Every request is logged; the checks Apple makes come
// first, then the limits and scripted faults a test set, then the route.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { closeServer, readBody } from '../loopback-http'
import { Refusal, TOKEN_PATH, TokenRequestChecker } from '../oauth-token-check'
import { CursorCodec } from './cursor'
import { describeFault, FaultScript } from './faults'
import { OrgState } from './org'
import { appleError, htmlError, type Reply } from './replies'
import type { PageRequest } from './resources'
import { matchRoute, type Route } from './routes'
import { RateLimiter, type RateLimit } from './throttle'
import { TokenRegistry } from './token-registry'
import type {
  AppleApiFake,
  AppleApiFakeOptions,
  Fault,
  FakeOrg,
  FakeOrgInput,
  RequestLogEntry,
} from './types'

const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000
/** How far ahead `retryAfter: 'date'` points. */
const RETRY_AFTER_DATE_SECONDS = 2
/** Time for the first part of a cut-off body to reach the client before the reset. */
const MID_BODY_RESET_DELAY_MS = 20

export async function startAppleApiFake(options: AppleApiFakeOptions = {}): Promise<AppleApiFake> {
  const fake = new LoopbackAppleApi(options)
  await fake.listen()
  return fake
}

interface Connection {
  id: number
  responses: number
}

class LoopbackAppleApi implements AppleApiFake {
  tokenUrl = ''
  apiUrl = ''
  latencyMs: number
  tokenTtlSeconds: number
  connectionBudget?: number
  concurrencyCeiling?: { limit: number; action: 'reset' | '429' }
  rateLimit?: RateLimit
  strictFields = true
  pagingTotal = false
  linkageHostTypo = false
  requests: RequestLogEntry[] = []
  onRequest?: (entry: RequestLogEntry) => void
  unexpected: string[] = []
  readonly faults = new FaultScript()
  readonly #checker = new TokenRequestChecker()
  readonly #tokens = new TokenRegistry()
  readonly #cursors = new CursorCodec()
  readonly #limiter = new RateLimiter()
  readonly #orgs = new Map<string, OrgState>()
  readonly #orgOfClient = new Map<string, OrgState>()
  readonly #connections = new WeakMap<Socket, Connection>()
  readonly #timers = new Set<NodeJS.Timeout>()
  #connectionCount = 0
  #inFlight = 0
  #peakInFlight = 0
  readonly #server: Server = createServer((request, response) => {
    this.#handle(request, response).catch((error: unknown) => {
      console.error('apple api fake failed:', error)
      response.destroy()
    })
  })

  constructor(options: AppleApiFakeOptions) {
    this.latencyMs = options.latencyMs ?? 0
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600
    this.#server.on('connection', (socket: Socket) => {
      this.#connections.set(socket, { id: ++this.#connectionCount, responses: 0 })
    })
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    const { port } = this.#server.address() as AddressInfo
    this.apiUrl = `http://127.0.0.1:${port}`
    this.tokenUrl = `${this.apiUrl}${TOKEN_PATH}`
  }

  addOrg(input: FakeOrgInput): FakeOrg {
    const org = new OrgState(`org-${this.#orgs.size + 1}`, input.scope, input, (client, owner) => {
      this.#checker.register(client)
      this.#orgOfClient.set(client.clientId, owner)
    })
    this.#orgs.set(org.id, org)
    return org
  }

  revoke(clientId: string): void {
    this.#checker.revoke(clientId)
    this.#tokens.revokeClient(clientId)
  }

  expireTokens(): void {
    this.#tokens.expireAll()
  }

  invalidateCursors(): void {
    this.#cursors.invalidate()
  }

  tokenRequests(clientId?: string): number {
    return this.requests.filter(
      (entry) => entry.route === 'token' && (clientId === undefined || entry.clientId === clientId),
    ).length
  }

  peakInFlight(): number {
    return this.#peakInFlight
  }

  close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    return closeServer(this.#server)
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.apiUrl)
    const connection = this.#connections.get(request.socket) ?? { id: 0, responses: 0 }
    const matched = matchRoute(url.pathname)
    const entry: RequestLogEntry = {
      method: request.method ?? '',
      route: url.pathname === TOKEN_PATH ? 'token' : (matched?.route.name ?? 'unknown'),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      connectionId: connection.id,
      startedAt: Date.now(),
      status: null,
    }
    this.requests.push(entry)
    this.onRequest?.(entry)
    response.on('finish', () => (connection.responses += 1))
    response.on('close', () => (entry.endedAt = Date.now()))
    if (this.connectionBudget !== undefined && connection.responses >= this.connectionBudget) {
      reset(request, entry, 'connection budget')
      return
    }
    if (entry.route === 'token') {
      await this.#sleep(this.latencyMs)
      await this.#token(request, response, entry)
      return
    }
    this.#inFlight += 1
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight)
    response.on('close', () => (this.#inFlight -= 1))
    const ceiling = this.concurrencyCeiling
    if (ceiling && this.#inFlight > ceiling.limit) {
      if (ceiling.action === 'reset') {
        reset(request, entry, 'ceiling')
        return
      }
      entry.fault = 'ceiling'
      send(response, entry, appleError(429, 'Too many requests at once.', retryAfter(1)))
      return
    }
    await this.#sleep(this.latencyMs)
    await this.#api(request, response, url, entry, matched)
  }

  async #token(request: IncomingMessage, response: ServerResponse, entry: RequestLogEntry) {
    const form = new URLSearchParams(await readBody(request))
    const clientId = form.get('client_id') ?? ''
    entry.clientId = clientId
    entry.orgId = this.#orgOfClient.get(clientId)?.id
    const fault = this.faults.take({ route: 'token', requestKey: `${TOKEN_PATH} ${clientId}` })
    if (fault) {
      entry.fault = describeFault(fault)
      const outcome = await this.#applyFault(request, response, entry, fault, oauthFaultBody)
      if (outcome === 'answered') return
    }
    try {
      const scope = this.#checker.check(request, form)
      const org = this.#orgOfClient.get(clientId) as OrgState
      const issued = this.#tokens.issue({
        clientId,
        orgId: org.id,
        scope,
        ttlSeconds: this.tokenTtlSeconds,
      })
      entry.tokenId = issued.tokenId
      const body = {
        access_token: issued.token,
        token_type: 'Bearer',
        expires_in: this.tokenTtlSeconds,
        scope,
      }
      answer(request, response, entry, { status: 200, body }, fault)
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      if (request.method !== 'POST') this.unexpected.push(`${request.method} ${TOKEN_PATH}`)
      const body = { error: error.error, error_description: error.reason }
      send(response, entry, { status: error.status, body })
    }
  }

  async #api(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    entry: RequestLogEntry,
    matched: ReturnType<typeof matchRoute>,
  ): Promise<void> {
    const what = `${request.method} ${url.pathname}${url.search}`
    if (!matched) {
      this.unexpected.push(`${what}: no such route`)
      send(response, entry, appleError(404, `There is no resource at ${url.pathname}.`))
      return
    }
    if (request.method !== 'GET') {
      request.resume()
      this.unexpected.push(`${what}: not a GET`)
      const allow = { headers: { allow: 'GET' } }
      send(response, entry, appleError(405, 'Only GET is allowed here.', allow))
      return
    }
    if (!acceptsJson(request.headers.accept)) {
      this.unexpected.push(`${what}: Accept ${request.headers.accept ?? '(none)'}`)
      send(response, entry, appleError(406, 'Only application/json can be returned.'))
      return
    }
    const check = this.#tokens.check(request.headers.authorization)
    if (!check.ok) {
      send(response, entry, unauthorized(check.reason))
      return
    }
    const { token } = check
    const org = this.#orgs.get(token.orgId) as OrgState
    Object.assign(entry, { clientId: token.clientId, tokenId: token.tokenId, orgId: org.id })
    // One listener serves both scopes, so the org is always the token's client's; a client whose
    // scope is not its org's (a BUSINESSAPI account in a school org) stands for a business token
    // on the school host. Apple's answer to that is unknown (401 or 403): the fake says 401.
    if (token.scope !== `${org.scope}.api`) {
      send(response, entry, unauthorized(`a ${token.scope} token on a ${org.scope} org`))
      return
    }
    if (this.rateLimit) {
      const wait = this.#limiter.take(org.id, this.rateLimit)
      if (wait !== undefined) {
        entry.fault = 'rate limit'
        send(response, entry, appleError(429, 'Rate limit exceeded.', retryAfter(wait)))
        return
      }
    }
    const query = this.#readQuery(matched.route, url)
    if ('status' in query) {
      send(response, entry, query)
      return
    }
    const fault = this.faults.take({
      route: matched.route.name,
      serial: matched.params.serial,
      page: query.paging.page,
      requestKey: `${url.pathname}${url.search}`,
    })
    if (fault) {
      entry.fault = describeFault(fault)
      const outcome = await this.#applyFault(request, response, entry, fault)
      if (outcome === 'answered') return
    }
    const reply = matched.route.handle({
      org,
      url,
      params: matched.params,
      paging: query.paging,
      fields: query.fields,
      base: this.apiUrl,
      cursors: this.#cursors,
      pagingTotal: this.pagingTotal,
      linkageHostTypo: this.linkageHostTypo,
    })
    answer(request, response, entry, reply, fault)
  }

  /** `limit`, `cursor` and `fields[…]` as the route reads them, or the 400 Apple answers. */
  #readQuery(
    route: Route,
    url: URL,
  ): { paging: PageRequest; fields: Set<string> | undefined } | Reply {
    const query = url.searchParams
    const paging: PageRequest = { limit: DEFAULT_LIMIT, page: 1 }
    const limit = query.get('limit')
    if (route.paged && limit !== null) {
      const value = /^\d+$/.test(limit) ? Number(limit) : NaN
      if (!(value >= 1 && value <= MAX_LIMIT)) {
        const detail = `'${limit}' is not a valid limit: it must be 1 to ${MAX_LIMIT}.`
        return appleError(400, detail, { parameter: 'limit' })
      }
      paging.limit = value
    }
    const cursor = query.get('cursor')
    if (route.paged && cursor !== null) {
      const read = this.#cursors.decode(cursor)
      if (!read.ok) {
        const detail = read.stale ? 'The cursor has expired.' : 'The cursor is not valid.'
        return appleError(400, detail, { parameter: 'cursor' })
      }
      Object.assign(paging, read.position)
    }
    const list = route.fields ? query.get(route.fields.parameter) : null
    if (!route.fields || list === null) return { paging, fields: undefined }
    const fields = new Set(list.split(',').map((name) => name.trim()))
    const unknown = [...fields].filter((name) => !route.fields?.names.has(name))
    if (unknown.length > 0 && this.strictFields) {
      const detail = `Unknown field names: ${unknown.join(', ')}.`
      return appleError(400, detail, { parameter: route.fields.parameter })
    }
    return { paging, fields }
  }

  /** Answers with a status fault or a reset before the headers; a delay waits, then goes on. */
  async #applyFault(
    request: IncomingMessage,
    response: ServerResponse,
    entry: RequestLogEntry,
    fault: Fault,
    jsonBody?: (status: number) => object,
  ): Promise<'answered' | 'go on'> {
    if ('delayMs' in fault) {
      await this.#sleep(fault.delayMs)
      return 'go on'
    }
    if ('reset' in fault) {
      if (fault.reset === 'body') return 'go on'
      reset(request, entry, entry.fault)
      return 'answered'
    }
    const headers =
      fault.retryAfter === undefined ? undefined : retryAfter(fault.retryAfter).headers
    let reply: Reply
    if (fault.body === 'html') reply = htmlError(fault.status, headers)
    else if (jsonBody) reply = { status: fault.status, body: jsonBody(fault.status), headers }
    else reply = appleError(fault.status, 'Injected by the test.', { headers })
    send(response, entry, reply)
    return 'answered'
  }

  #sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer)
        resolve()
      }, ms)
      this.#timers.add(timer)
    })
  }
}

/** The token endpoint's errors are OAuth's (RFC 6749 §5.2), not the API's. */
function oauthFaultBody(status: number): object {
  return { error: status >= 500 ? 'server_error' : 'temporarily_unavailable' }
}

function acceptsJson(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some((part) => part.split(';')[0]?.trim().toLowerCase() === 'application/json')
}

function unauthorized(reason: string): Reply {
  return appleError(401, `Authentication failed: ${reason}.`, {
    headers: { 'www-authenticate': 'Bearer' },
  })
}

/** A `Retry-After` header: seconds, or an HTTP-date at least two seconds ahead. */
function retryAfter(value: number | 'date'): { headers: Record<string, string> } {
  if (value !== 'date') return { headers: { 'retry-after': String(value) } }
  const at = Math.ceil(Date.now() / 1000 + RETRY_AFTER_DATE_SECONDS) * 1000
  return { headers: { 'retry-after': new Date(at).toUTCString() } }
}

function bodyText(reply: Reply): string {
  return typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
}

function send(response: ServerResponse, entry: RequestLogEntry, reply: Reply): void {
  if (response.destroyed) return
  const text = bodyText(reply)
  entry.status = reply.status
  response.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...reply.headers,
  })
  response.end(text)
}

/** Sends the reply, or cuts it off mid-body when that is the fault this request drew. */
function answer(
  request: IncomingMessage,
  response: ServerResponse,
  entry: RequestLogEntry,
  reply: Reply,
  fault: Fault | undefined,
): void {
  if (fault && 'reset' in fault) sendCutOff(request, response, entry, reply)
  else send(response, entry, reply)
}

/** Sends the headers and half the body, then resets the connection: a body cut off mid-way. */
function sendCutOff(
  request: IncomingMessage,
  response: ServerResponse,
  entry: RequestLogEntry,
  reply: Reply,
): void {
  if (response.destroyed) return
  const body = Buffer.from(bodyText(reply))
  entry.status = reply.status
  response.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    ...reply.headers,
  })
  response.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    setTimeout(() => request.socket.resetAndDestroy(), MID_BODY_RESET_DELAY_MS)
  })
}

/** A TCP reset before any answer: `fetch()` itself rejects. */
function reset(request: IncomingMessage, entry: RequestLogEntry, fault: string | undefined): void {
  entry.fault = fault
  request.socket.resetAndDestroy()
}
