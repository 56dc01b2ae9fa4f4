// Serves the built renderer from app://renderer/ with the CSP header, never from file://, so the
// renderer has a real origin to check IPC senders against and cannot read arbitrary files.
import { readFile } from 'node:fs/promises'
import { protocol } from 'electron'
import { CONTENT_SECURITY_POLICY } from './csp'
import { contentTypeOf } from './mime'
import { rendererFileFor } from './renderer-files'

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const { host, pathname } = new URL(request.url)
    const file = host === 'renderer' ? rendererFileFor(rendererDir, pathname) : null
    if (file === null) return new Response('Not found', { status: 404 })
    try {
      return new Response(await readFile(file), {
        headers: {
          'content-type': contentTypeOf(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}
