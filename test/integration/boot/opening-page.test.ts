// The page main serves: the built index.html's shape with the boot's answers and the opening
// screen's markup written in, drawn by the renderer's own components over the real services.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { OPENING_ELEMENT_ID, type Opening } from '../../../preload/boot'
import {
  loadOpeningMarkup,
  pageWithOpening,
  readOpening,
  resolvedLocale,
  servedPage,
  type OpeningSource,
} from '../../../main/boot/opening-page'
import { createHandlers, type Handlers } from '../../../main/ipc/handlers'
import { tenantDbPath } from '../../../main/paths'
import { createServices, type AppServices } from '../../../main/services'
import { fillDevices, filledSerial } from '../../support/device-fill'
import { makeTestClient } from '../../support/oauth-server'

const MARKUP_SOURCE = '../../../renderer/src/opening-markup.tsx'

// The page as written (the build adds only its scripts and the CSP to it).
const TEMPLATE = readFileSync(join(import.meta.dirname, '../../../renderer/index.html'), 'utf8')

let dir: string
let services: AppServices
let handlers: Handlers
let source: OpeningSource

const platform = {
  pickFile: () => Promise.resolve(null),
  saveFile: () => Promise.resolve(null),
  emit: () => {},
}

function writtenOpening(page: string): Opening {
  const block = new RegExp(
    `<script type="application/json" id="${OPENING_ELEMENT_ID}">(.*?)</script>`,
  )
  return JSON.parse(block.exec(page)![1]!) as Opening
}

const rootOf = (page: string) => /<div id="root">([\s\S]*?)<\/div>\s*<script/.exec(page)![1]!

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'axm-opening-'))
  services = createServices({
    dataDir: join(dir, 'data'),
    tokenUrl: 'http://127.0.0.1:9/token',
    keychainService: `AxM opening ${randomUUID()}`,
    managedSources: [],
  })
  handlers = createHandlers(services, platform)
  const client = makeTestClient(dir)
  const added = await handlers.addCredential({
    name: 'Northwind Traders',
    clientId: client.clientId,
    keyId: client.keyId,
    key: { kind: 'text', text: client.privateKeyPem },
  })
  if (!added.ok) throw new Error(added.error.message)
  fillDevices(tenantDbPath(services.dataDir, added.value.tenantId), 500)
  // Loaded by path as main loads its build's (the source here: the build comes after these tests).
  const markup = loadOpeningMarkup(join(import.meta.dirname, MARKUP_SOURCE))
  expect(await markup).toBeTypeOf('function')
  source = { handlers, markup, locale: () => 'en-GB' }
})

afterAll(async () => {
  for (const account of await services.secrets.accounts()) await services.secrets.delete(account)
  await services.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the page main serves', () => {
  test('holds the boot answers as the window would have asked for them, and the screen drawn from them', async () => {
    const page = await servedPage(TEMPLATE, source)
    const opening = writtenOpening(page)
    expect(opening.locale).toBe('en-GB')
    expect(opening.answers.listTenants).toEqual(await handlers.listTenants({}))
    expect(opening.answers.openingDevices).toEqual(await handlers.openingDevices({ limit: 200 }))
    const root = rootOf(page)
    expect(root).not.toContain('Loading…')
    for (const text of ['Northwind Traders', filledSerial(0), '500 devices']) {
      expect(root).toContain(text)
    }
    // Under the Content Security Policy nothing inline would run or apply.
    expect(root).not.toMatch(/<script| style="/)
  })

  const firstEnd = async () => {
    const opening = await readOpening(handlers, 'en-GB')
    const screen = opening.answers.openingDevices
    const end = screen.ok ? screen.value?.rows[0]?.coverageEnd : undefined
    if (!end) throw new Error('the first device has no coverage end')
    return new Date(end)
  }
  const dateIn = (locale: string, date: Date) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date)

  test('writes dates in the locale it was given, and says which', async () => {
    const end = await firstEnd()
    const german = await servedPage(TEMPLATE, { ...source, locale: () => 'de-DE' })
    expect(writtenOpening(german).locale).toBe('de-DE')
    expect(rootOf(german)).toContain(dateIn('de-DE', end))
    expect(rootOf(german)).not.toContain(dateIn('en-GB', end))
  })

  test('draws one screen at a time: two pages asked at once each get their own', async () => {
    const end = await firstEnd()
    const [british, german] = await Promise.all([
      servedPage(TEMPLATE, { ...source, locale: () => 'en-GB' }),
      servedPage(TEMPLATE, { ...source, locale: () => 'de-DE' }),
    ])
    expect(rootOf(british!)).toContain(dateIn('en-GB', end))
    expect(rootOf(german!)).toContain(dateIn('de-DE', end))
  })
})

describe('what goes into the page cannot break out of its place', () => {
  const opening = {
    answers: { hostile: '</script><script>alert(1)</script><!-- $& $1' },
    locale: 'en-GB',
    now: 0,
  } as unknown as Opening

  test('the data block reads back as written and ends where main ended it', () => {
    const page = pageWithOpening(TEMPLATE, opening, '<main>$&</main>')
    expect(page.match(/<\/script>/g)).toHaveLength(2) // the module script's and the block's
    expect(writtenOpening(page)).toEqual(opening)
    // "$&" is markup text, not a replacement pattern.
    expect(rootOf(page)).toBe('<main>$&</main>')
  })

  test('a template without the placeholder is refused', () => {
    expect(() => pageWithOpening('<html><body></body></html>', opening, '')).toThrow(
      'index.html has no place for the opening screen',
    )
  })
})

describe('anything that goes wrong leaves the page as built, for the window to draw', () => {
  test('no markup module, a drawing that fails, a template with no place', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      expect(await servedPage(TEMPLATE, { ...source, markup: Promise.resolve(null) })).toBe(
        TEMPLATE,
      )
      const failing = () => Promise.reject(new Error('drawing failed'))
      expect(await servedPage(TEMPLATE, { ...source, markup: Promise.resolve(failing) })).toBe(
        TEMPLATE,
      )
      expect(await servedPage('<html></html>', source)).toBe('<html></html>')
      expect(warn).toHaveBeenCalledTimes(2)
    } finally {
      warn.mockRestore()
    }
  })

  test('a markup module that cannot be loaded is null, with a warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      expect(await loadOpeningMarkup(join(dir, 'no-such-module.js'))).toBeNull()
      expect(warn).toHaveBeenCalledOnce()
    } finally {
      warn.mockRestore()
    }
  })
})

describe('resolvedLocale', () => {
  test('is the locale Intl writes in: the one asked for, or the default for a malformed tag', () => {
    expect(resolvedLocale('en-GB')).toBe('en-GB')
    expect(resolvedLocale('not a locale!')).toBe(new Intl.DateTimeFormat().resolvedOptions().locale)
  })

  test('readOpening writes it into the opening', async () => {
    expect((await readOpening(handlers, 'de-DE')).locale).toBe('de-DE')
  })
})
