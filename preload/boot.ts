// The boot: what the app's first screen is drawn from. Main reads these answers as it serves the
// page and writes them into it (main/boot/opening-page.ts), with that screen's markup drawn from
// them; the renderer takes them from the page instead of asking (renderer/src/boot.ts). Both sides
// format in the same locale and from the same "now", so the window's first render (hydration)
// finds exactly the markup main drew.
import type { MethodInput, MethodName, MethodOutput, Result } from './contract'

/** The devices table asks main for its rows in pages of this many; the boot brings the first. */
export const DEVICE_PAGE_SIZE = 200

/** The boot's calls, and what each is asked with. */
export const BOOT_INPUTS = {
  listTenants: {},
  listCredentials: {},
  openingDevices: { limit: DEVICE_PAGE_SIZE },
  managedState: {},
} as const satisfies { [M in MethodName]?: MethodInput<M> }

export type BootMethod = keyof typeof BOOT_INPUTS
export type BootAnswers = { [M in BootMethod]: Result<MethodOutput<M>> }

/** What main writes into the page it serves. */
export interface Opening {
  answers: BootAnswers
  /** The locale main formatted the markup in (BCP 47): the renderer formats in it too. */
  locale: string
  /** When main read the answers (ms since the epoch): "5 minutes ago" is reckoned from it. */
  now: number
}

/** The id of the page's data block (a JSON `<script>`, which is not run) that holds the Opening. */
export const OPENING_ELEMENT_ID = 'axm-opening'

/** How the window says, on the console, that it drew the opening screen again (it differed). */
export const OPENING_DRAWN_AGAIN = 'The opening screen was drawn again:'
