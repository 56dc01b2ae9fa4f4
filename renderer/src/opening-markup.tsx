// Built into main (out/main/opening-markup.js, loaded by main/boot/opening-page.ts): draws the
// screen the app opens on as HTML, from the boot's answers, so the window shows it before any of
// the renderer's JavaScript has run. The window's first render then hydrates this very markup.
import { prerender } from 'react-dom/static'
import type { Opening } from '../../preload/boot'
import { adoptOpening, forgetBootAnswers } from './boot'
import { Root } from './Root'

/** A screen whose module does not load in this long is left for the window to draw. */
const DRAW_TIMEOUT_MS = 3000

// The boot's answers are one module's state, so one drawing at a time.
let drawing: Promise<unknown> = Promise.resolve()

/** The markup of `opening`'s first screen: what goes inside the page's #root. */
export function renderOpeningMarkup(opening: Opening): Promise<string> {
  const drawn = drawing.then(() => draw(opening))
  drawing = drawn.catch(() => undefined)
  return drawn
}

async function draw(opening: Opening): Promise<string> {
  adoptOpening(opening)
  try {
    // prerender, not renderToString: it waits for the screens loaded when first shown (lazy), so
    // a fresh install's first screen is drawn too. A part that fails is not left for the window to
    // draw (React's way): the whole screen is, so main's markup is all or nothing.
    let failed: unknown
    const { prelude } = await prerender(<Root />, {
      signal: AbortSignal.timeout(DRAW_TIMEOUT_MS),
      onError: (error) => void (failed ??= error),
    })
    const markup = await new Response(prelude).text()
    if (failed !== undefined) throw failed
    return markup
  } finally {
    forgetBootAnswers()
  }
}
