// The renderer: the size of its JavaScript, and the time from navigation to its first device row
// on screen, for a tenant of DEVICES devices, beside a minimal React page (./first-row-anchor) that
// shows the same rows. Both are built by electron-vite with the renderer's settings, served by the
// e2e harness (test/e2e/support/api-server.ts: the app's IPC handlers over loopback, window.api
// forwarded the same way) and loaded in Debian's Chromium with the e2e flags, each load in a fresh
// browser context, ours and the anchor's interleaved. How the moment is taken: ./first-row-watch.js.
// Our index.html is served as main serves it, with the opening screen drawn in from the boot's
// answers (main/boot/opening-page.ts): the time main takes for that is inside our figure, and is
// also timed on its own. The anchor's page is served as built.
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser } from '@playwright/test'
import { build } from 'electron-vite'
import { tenantDbPath } from '../main/paths'
import { createServices } from '../main/services'
import { chromiumFlags } from '../playwright.config'
import { RENDERER_DIR, startApiServer } from '../test/e2e/support/api-server'
import { forwarderScript } from '../test/e2e/support/forwarder'
import { SecretGuard } from '../test/e2e/support/secret-guard'
import { TestPlatform } from '../test/e2e/support/test-platform'
import { fillDevices, filledSerial } from '../test/support/device-fill'
import { makeTestClient } from '../test/support/oauth-server'
import { measure, ms, ratio, RUNS, summarize, type Figure } from './measure'

const DEVICES = 100_000
/**
 * Page loads vary more than the other figures: one load of the same page takes from 0.6× to 2× its
 * median on a 2-core machine. At least 21 of each.
 */
const LOADS = Math.max(RUNS, 21)
const ANCHOR_CONFIG = join(import.meta.dirname, 'first-row-anchor.config.ts')
const WATCH_SCRIPT = readFileSync(join(import.meta.dirname, 'first-row-watch.js'), 'utf8')
const PAINTED = 'first-row-paint '
const MARKUP_MODULE = join(RENDERER_DIR, '..', 'main', 'opening-markup.js')

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`

/** The scripts of a built page: all of them, or those its index.html loads before any is run. */
function scriptsOf(builtDir: string, which: 'all' | 'first paint'): string[] {
  const assets = join(builtDir, 'assets')
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'))
  if (which === 'all') return scripts.map((name) => join(assets, name))
  const html = readFileSync(join(builtDir, 'index.html'), 'utf8')
  return scripts.filter((name) => html.includes(`assets/${name}`)).map((name) => join(assets, name))
}

/** The size of scripts: raw and gzipped (zlib's default level, as servers send it). */
function scriptSize(scripts: string[]): { raw: number; gzipped: number } {
  const bytes = scripts.map((path) => readFileSync(path))
  return {
    raw: bytes.reduce((sum, b) => sum + b.length, 0),
    gzipped: bytes.reduce((sum, b) => sum + gzipSync(b).length, 0),
  }
}

/** Builds the anchor page into `outDir`/renderer (electron-vite's layout), as the renderer is. */
async function buildAnchor(outDir: string): Promise<string> {
  await build({ configFile: ANCHOR_CONFIG, logLevel: 'error', build: { outDir } })
  return join(outDir, 'renderer')
}

/** A data folder with one tenant of DEVICES devices, and the harness serving `rendererDir`. */
async function startWorld(dir: string, rendererDir: string) {
  const services = createServices({
    dataDir: join(dir, 'data'),
    tokenUrl: 'http://127.0.0.1:9/token',
    keychainService: `AxM renderer bench ${randomUUID()}`,
    managedSources: [],
  })
  const server = await startApiServer(services, new TestPlatform(), new SecretGuard(), rendererDir)
  const client = makeTestClient(dir)
  const added = await server.call('addCredential', {
    name: 'Bench Tenant',
    clientId: client.clientId,
    keyId: client.keyId,
    key: { kind: 'text', text: client.privateKeyPem },
  })
  if (!added.ok) throw new Error(added.error.message)
  const { tenantId } = added.value
  fillDevices(tenantDbPath(services.dataDir, tenantId), DEVICES)
  return {
    server,
    tenantId,
    async close() {
      await server.close()
      for (const account of await services.secrets.accounts())
        await services.secrets.delete(account)
      await services.close()
    },
  }
}

type World = Awaited<ReturnType<typeof startWorld>>

/** How long a fresh Node takes to import the markup module, as main does at start. */
function markupImport(): Figure {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(MARKUP_MODULE).href)}); console.log(performance.now() - t)`
  const once = () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    )
  once()
  return summarize(Array.from({ length: RUNS }, once))
}

/** index.html as `world`'s server serves it (for ours: with the opening screen drawn in). */
async function pageOf(world: World): Promise<string> {
  return (await fetch(`${world.server.origin}/index.html`)).text()
}

/** One load of `path` from `world`'s server: ms from navigation to the first serial painted. */
async function firstRowPaint(browser: Browser, world: World, path: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  try {
    const page = await context.newPage()
    const [install, args] = forwarderScript(world.server.token)
    await page.addInitScript(install, args)
    await page.addInitScript({
      content: `${WATCH_SCRIPT}\nwatchFirstRow(${JSON.stringify(filledSerial(0))})`,
    })
    const painted = page.waitForEvent('console', (line) => line.text().startsWith(PAINTED))
    await page.goto(`${world.server.origin}${path}`)
    return Number((await painted).text().slice(PAINTED.length))
  } finally {
    await context.close()
  }
}

export async function bench(): Promise<Array<{ label: string; figure: string }>> {
  await build({ logLevel: 'warn' }) // npm run build: out/renderer, which the harness serves
  const dir = mkdtempSync(join(tmpdir(), 'axm-bench-renderer-'))
  const anchorDir = await buildAnchor(join(dir, 'anchor'))
  const ours = await startWorld(join(dir, 'ours'), RENDERER_DIR)
  const anchor = await startWorld(join(dir, 'anchor-world'), anchorDir)
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: chromiumFlags,
  })
  try {
    const loads = { ours: [] as number[], anchor: [] as number[] }
    const anchorPath = `/index.html?tenant=${anchor.tenantId}`
    for (let run = -1; run < LOADS; run++) {
      const oursMs = await firstRowPaint(browser, ours, '/index.html')
      const anchorMs = await firstRowPaint(browser, anchor, anchorPath)
      if (run < 0) continue // the warm-up
      loads.ours.push(oursMs)
      loads.anchor.push(anchorMs)
    }
    const first = summarize(loads.ours)
    const minimal = summarize(loads.anchor)
    const served = await measure(() => pageOf(ours), LOADS)
    const size = scriptSize(scriptsOf(RENDERER_DIR, 'all'))
    const firstPaint = scriptSize(scriptsOf(RENDERER_DIR, 'first paint'))
    const react = scriptSize(scriptsOf(anchorDir, 'all'))
    const devices = DEVICES.toLocaleString('en-US')
    return [
      {
        label: 'JavaScript, gzipped (goal < 150 kB)',
        figure: `${kB(size.gzipped)} (${kB(size.raw)} minified; the anchor: ${kB(react.gzipped)})`,
      },
      {
        label: 'of which the first paint loads (the rest when shown)',
        figure: `${kB(firstPaint.gzipped)} (${kB(firstPaint.raw)} minified)`,
      },
      { label: `navigation → first device row painted, ${devices} devices`, figure: ms(first) },
      { label: 'the same for a minimal React page of the same rows', figure: ms(minimal) },
      {
        label: 'first device row / minimal React page (goal ≤ 1.3×)',
        figure: ratio(first, minimal),
      },
      {
        label: `main: index.html with the opening screen drawn in (answers + markup)`,
        figure: ms(served),
      },
      {
        label: 'main: loading the module that draws it (once, at start)',
        figure: `${ms(markupImport())} (${kB(statSync(MARKUP_MODULE).size)} unminified)`,
      },
    ]
  } finally {
    await browser.close()
    await ours.close()
    await anchor.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
