// Small pieces the loopback test servers share: reading a bounded request body, answering JSON,
// and closing a server so that requests left hanging end too.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'

const MAX_BODY_BYTES = 64 * 1024

/** The request body as text; anything past 64 KiB is dropped (no test sends that much). */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) break
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...headers,
  })
  response.end(JSON.stringify(body))
}

/** Ends every connection, hanging requests included, so a test run can exit. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  )
}
