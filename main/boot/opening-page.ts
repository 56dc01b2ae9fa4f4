// The page the window loads: the built index.html with the opening (preload/boot.ts) written into
// it: the boot's answers as a JSON data block, and the screen the app opens on drawn from them as
// markup by the renderer's own components (renderer/src/opening-markup.tsx, built beside main).
// The window shows that screen before any of the renderer's JavaScript has run, asks main nothing
// at boot, and hydrates the markup. Anything that goes wrong here leaves the page as built: the
// window then asks and draws for itself, as it does from the dev server.
import { pathToFileURL } from 'node:url'
import {
  BOOT_INPUTS,
  OPENING_ELEMENT_ID,
  type BootAnswers,
  type BootMethod,
  type Opening,
} from '../../preload/boot'
import type { Handlers } from '../ipc/handlers'

export type OpeningMarkup = (opening: Opening) => Promise<string>

/**
 * The page's root with its placeholder ("Loading…"), which the markup replaces: all of the root's
 * content, the whitespace around the placeholder included, as hydration expects the markup alone.
 */
const ROOT = /<div id="root">\s*<!--opening-->[\s\S]*?<!--\/opening-->\s*<\/div>/

/**
 * The renderer's markup module, built beside main; null if it cannot be loaded (a warning says
 * why), and the window draws the screen itself.
 */
export async function loadOpeningMarkup(path: string): Promise<OpeningMarkup | null> {
  try {
    const module = (await import(pathToFileURL(path).href)) as {
      renderOpeningMarkup: OpeningMarkup
    }
    return module.renderOpeningMarkup
  } catch (error) {
    console.warn('The window will draw its first screen itself:', error)
    return null
  }
}

/** The locale main's Intl writes `tag` in (the nearest it has): the window writes in it too. */
export function resolvedLocale(tag: string): string {
  try {
    return new Intl.DateTimeFormat(tag).resolvedOptions().locale
  } catch {
    return new Intl.DateTimeFormat().resolvedOptions().locale
  }
}

/** The boot's answers, as the window would have asked for them, in `locale` at this moment. */
export async function readOpening(handlers: Handlers, locale: string): Promise<Opening> {
  const methods = Object.keys(BOOT_INPUTS) as BootMethod[]
  const results = await Promise.all(methods.map((method) => handlers[method](BOOT_INPUTS[method])))
  const answers = Object.fromEntries(methods.map((method, i) => [method, results[i]]))
  return { answers: answers as BootAnswers, locale: resolvedLocale(locale), now: Date.now() }
}

/**
 * `template` (the built index.html) with `opening` and `markup`, its first screen. Throws if the
 * template has no placeholder or no body to write them into.
 */
export function pageWithOpening(template: string, opening: Opening, markup: string): string {
  if (!ROOT.test(template) || !template.includes('</body>')) {
    throw new Error('index.html has no place for the opening screen')
  }
  // Every "<" written as \u003c (JSON reads it back the same): nothing in the answers can end
  // the data block or open a comment in it.
  const json = JSON.stringify(opening).replace(/</g, '\\u003c')
  const block = `<script type="application/json" id="${OPENING_ELEMENT_ID}">${json}</script>`
  // Replaced by functions, not strings: a "$&" in a device's model is text, not a pattern.
  return template
    .replace(ROOT, () => `<div id="root">${markup}</div>`)
    .replace('</body>', () => `  ${block}\n  </body>`)
}

export interface OpeningSource {
  handlers: Handlers
  markup: Promise<OpeningMarkup | null>
  /** The locale the admin reads the app in (app.getLocale() in Electron). */
  locale: () => string
  /** Called as the answers are read: the page may miss the events from then until it has loaded. */
  reading?: () => void
}

/** The page to serve for `template`: with its opening, or as built if it cannot be drawn. */
export async function servedPage(template: string, source: OpeningSource): Promise<string> {
  try {
    const draw = await source.markup
    if (!draw) return template
    source.reading?.()
    const opening = await readOpening(source.handlers, source.locale())
    return pageWithOpening(template, opening, await draw(opening))
  } catch (error) {
    console.warn('The window will draw its first screen itself:', error)
    return template
  }
}
