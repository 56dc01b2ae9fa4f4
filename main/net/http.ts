// How every request to Apple leaves this computer (token exchange and API alike): HTTP/1.1 only,
// with bounded connect and body sizes, through the proxy the system or the environment names.
// HTTP/1.1 because Apple's HTTP/2 answers break clients (chunked framing over h2, stream resets
// under concurrency: apple-api-sync.md §10), and undici plans to negotiate h2 by default.
// undici is loaded at the first request: it is the largest module the CLI would otherwise load
// for commands that never go online (`list`).
import type { Dispatcher, ProxyAgent, fetch as undiciFetch } from 'undici'
import { proxyUrlFromPac } from './pac'

type Undici = typeof import('undici')
let undiciModule: Promise<Undici> | undefined
const loadUndici = (): Promise<Undici> => (undiciModule ??= import('undici'))

export interface HttpRequestInit {
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: URLSearchParams
  redirect?: 'manual' | 'error'
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  header(name: string): string | null
  /** The body as text; rejects with ResponseTooLargeError past `maxBytes`. */
  text(maxBytes?: number): Promise<string>
}

export type HttpFetch = (url: string, init?: HttpRequestInit) => Promise<HttpResponse>

/** A PAC-style answer for a URL ("PROXY host:port; DIRECT"), as Electron's session.resolveProxy. */
export type ProxyResolver = (url: string) => Promise<string>

/** A page of 1,000 devices is about 1 MB; anything far larger is not an answer from Apple. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024

export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError'
  constructor(maxBytes: number) {
    super(`The server's answer was larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`)
  }
}

const AGENT_OPTIONS = {
  allowH2: false,
  connections: 4,
  connectTimeout: 15_000,
  keepAliveTimeout: 10_000,
} as const

export interface HttpClient {
  fetch: HttpFetch
  close(): Promise<void>
}

/**
 * With `resolveProxy` (the app: the system's proxy settings and PAC file, per URL), each request
 * goes where it says; without it, HTTPS_PROXY / HTTP_PROXY / NO_PROXY of `env` decide (the CLI).
 */
export function createHttpClient(
  options: { resolveProxy?: ProxyResolver; env?: NodeJS.ProcessEnv } = {},
): HttpClient {
  const { resolveProxy } = options
  let direct: Dispatcher | undefined
  const proxies = new Map<string, ProxyAgent>()
  let closed = false
  const dispatcherFor = async (undici: Undici, url: string): Promise<Dispatcher> => {
    const proxy = resolveProxy ? proxyUrlFromPac(await resolveProxy(url)) : undefined
    // As a closed agent would: no request after close() (its agent would keep the process alive).
    if (closed) throw new undici.errors.ClientDestroyedError()
    if (!proxy) {
      direct ??= resolveProxy
        ? new undici.Agent(AGENT_OPTIONS)
        : envAgent(undici, options.env ?? process.env)
      return direct
    }
    let agent = proxies.get(proxy)
    if (!agent)
      proxies.set(proxy, (agent = new undici.ProxyAgent({ ...AGENT_OPTIONS, uri: proxy })))
    return agent
  }
  return {
    fetch: async (url, init = {}) => {
      const undici = await loadUndici()
      return wrap(
        await undici.fetch(url, { ...init, dispatcher: await dispatcherFor(undici, url) }),
      )
    },
    close: async () => {
      closed = true
      const agents = [...(direct ? [direct] : []), ...proxies.values()]
      await Promise.all(agents.map((agent) => agent.close()))
    },
  }
}

function envAgent(undici: Undici, env: NodeJS.ProcessEnv): Dispatcher {
  const pick = (name: string) => env[name] ?? env[name.toLowerCase()] ?? undefined
  return new undici.EnvHttpProxyAgent({
    ...AGENT_OPTIONS,
    httpProxy: pick('HTTP_PROXY'),
    httpsProxy: pick('HTTPS_PROXY'),
    noProxy: pick('NO_PROXY'),
  })
}

function wrap(response: Awaited<ReturnType<typeof undiciFetch>>): HttpResponse {
  return {
    status: response.status,
    header: (name) => response.headers.get(name),
    text: (maxBytes = MAX_RESPONSE_BYTES) => readBounded(response, maxBytes),
  }
}

async function readBounded(
  response: Awaited<ReturnType<typeof undiciFetch>>,
  maxBytes: number,
): Promise<string> {
  if (!response.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body) {
    size += chunk.byteLength
    if (size > maxBytes) {
      await response.body.cancel().catch(() => undefined)
      throw new ResponseTooLargeError(maxBytes)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

let defaultClient: HttpClient | undefined

/** A client for callers not given one: a direct connection, or the environment's proxy. */
export const httpFetch: HttpFetch = (url, init) =>
  (defaultClient ??= createHttpClient()).fetch(url, init)

/** fetch reports "fetch failed" and keeps the useful part (ECONNRESET, ENOTFOUND…) in `cause`. */
export function systemErrorCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined
  const code = (cause as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : undefined
}
