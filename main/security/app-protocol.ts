// Serves the built renderer from app://renderer/ with the CSP header, never from file://, so the
// renderer has a real origin to check IPC senders against and cannot read arbitrary files.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { protocol } from 'electron'
import { CONTENT_SECURITY_POLICY } from './csp'
import { contentTypeOf } from './mime'
import { rendererFileFor } from './renderer-files'

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/**
 * `page` makes the page served for the built index.html (see main/boot/opening-page.ts); every
 * other file is served as built.
 */
export function serveRenderer(rendererDir: string, page: (built: string) => Promise<string>): void {
  const index = join(rendererDir, 'index.html')
  protocol.handle('app', async (request) => {
    const { host, pathname } = new URL(request.url)
    const file = host === 'renderer' ? rendererFileFor(rendererDir, pathname) : null
    if (file === null) return new Response('Not found', { status: 404 })
    try {
      const body = file === index ? await page(await readFile(file, 'utf8')) : await readFile(file)
      return new Response(body, {
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
