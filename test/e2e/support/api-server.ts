// Test-only: serves the built renderer and forwards window.api over loopback to the SAME handlers
// main registers with Electron's IPC, running here in Node over real services. The renderer is
// served with the production CSP, and the API from the same origin, so the policy is unchanged.
// Its index.html is served as main serves it, with the opening screen drawn in (by the build's
// out/main/opening-markup.js), and the events the loading page may miss sent again once it has
// loaded (the page's load event stands for Electron's did-finish-load).
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import {
  contract,
  type MethodName,
  type MethodOutput,
  type Result,
} from '../../../preload/contract'
import { BootGap } from '../../../main/boot/boot-gap'
import { loadOpeningMarkup, servedPage } from '../../../main/boot/opening-page'
import { createHandlers } from '../../../main/ipc/handlers'
import { CONTENT_SECURITY_POLICY } from '../../../main/security/csp'
import { contentTypeOf } from '../../../main/security/mime'
import { rendererFileFor } from '../../../main/security/renderer-files'
import type { AppServices } from '../../../main/services'
import type { SecretGuard } from './secret-guard'
import type { TestPlatform } from './test-platform'

const OUT_DIR = join(import.meta.dirname, '..', '..', '..', 'out')
export const RENDERER_DIR = join(OUT_DIR, 'renderer')
/** The locale the harness's pages are drawn in (Playwright's default). */
const LOCALE = 'en-US'

export interface ApiServer {
  origin: string
  token: string
  /** Calls a handler directly, as a test sets up a scene; the answer is guarded like the page's. */
  call<M extends MethodName>(name: M, input: unknown): Promise<Result<MethodOutput<M>>>
  close(): Promise<void>
}

/**
 * `rendererDir`: the built pages to serve, the app's by default; another one (the bench's anchor
 * page) is served just as built.
 */
export async function startApiServer(
  services: AppServices,
  platform: TestPlatform,
  guard: SecretGuard,
  rendererDir = RENDERER_DIR,
): Promise<ApiServer> {
  const token = randomBytes(24).toString('hex')
  const listeners = new Set<ServerResponse>()
  const handlers = createHandlers(services, platform)
  const events = new BootGap((event, payload) => {
    const frame = JSON.stringify({ event, payload })
    guard.check(frame, `event ${event}`)
    for (const response of listeners) response.write(`data: ${frame}\n\n`)
  })
  const unsubscribe = platform.subscribe(events.send)
  const markup =
    rendererDir === RENDERER_DIR
      ? loadOpeningMarkup(join(OUT_DIR, 'main', 'opening-markup.js'))
      : Promise.resolve(null)
  const stopWatching = services.managed.watch((state) => platform.emit('managedChanged', state))

  async function call<M extends MethodName>(name: M, input: unknown) {
    const result = await handlers[name](input)
    guard.check(JSON.stringify(result), `answer to ${name}`)
    return result as Result<MethodOutput<M>>
  }

  const server = createServer((request, response) => {
    void route(request, response).catch(() => send(response, 500, 'text/plain', 'error'))
  })

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://loopback')
    if (url.pathname.startsWith('/__api/')) return api(url.pathname.slice(7), request, response)
    if (url.pathname === '/__events') return eventStream(url, response)
    if (url.pathname === '/__loaded') return loaded(request, response)
    return staticFile(url.pathname, response)
  }

  async function api(method: string, request: IncomingMessage, response: ServerResponse) {
    if (request.method !== 'POST' || !sameToken(request.headers['x-axm-token'], token)) {
      return send(response, 403, 'text/plain', 'forbidden')
    }
    if (!Object.hasOwn(contract, method)) return send(response, 404, 'text/plain', 'no such method')
    const input: unknown = JSON.parse((await readBody(request)) || 'null')
    send(response, 200, 'application/json', JSON.stringify(await call(method as MethodName, input)))
  }

  function loaded(request: IncomingMessage, response: ServerResponse) {
    if (request.method !== 'POST' || !sameToken(request.headers['x-axm-token'], token)) {
      return send(response, 403, 'text/plain', 'forbidden')
    }
    events.closed()
    send(response, 204, 'text/plain', '')
  }

  function eventStream(url: URL, response: ServerResponse) {
    if (!sameToken(url.searchParams.get('token'), token)) {
      return send(response, 403, 'text/plain', 'forbidden')
    }
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
    })
    response.write(': connected\n\n')
    listeners.add(response)
    response.on('close', () => listeners.delete(response))
  }

  /** index.html as main serves it; what main writes into it is guarded like its answers. */
  async function page(file: string): Promise<string> {
    const served = await servedPage(await readFile(file, 'utf8'), {
      handlers,
      markup,
      locale: () => LOCALE,
      reading: () => events.opened(),
    })
    guard.check(served, 'the served page')
    return served
  }

  async function staticFile(pathname: string, response: ServerResponse) {
    const file = rendererFileFor(rendererDir, pathname)
    if (file === null) return send(response, 404, 'text/plain', 'not found')
    try {
      const body =
        file === join(rendererDir, 'index.html') ? await page(file) : await readFile(file)
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': contentTypeOf(file),
      })
      response.end(body)
    } catch {
      send(response, 404, 'text/plain', 'not found')
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    token,
    call,
    async close() {
      stopWatching()
      unsubscribe()
      for (const response of listeners) response.end()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type })
  response.end(body)
}

function sameToken(given: unknown, token: string): boolean {
  return (
    typeof given === 'string' &&
    given.length === token.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(token))
  )
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}
