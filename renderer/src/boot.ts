// What the first screen needs: the boot's answers (preload/boot.ts). Main writes them into the page
// it serves, with that screen's markup drawn from them, and the window takes them from there; a
// page without them (the dev server's) asks main the moment the bundle runs, while React and the
// app are evaluated. The app's first render is drawn from them; after it, they are let go, so a
// screen opened later asks main for what is current. Until that render's hooks listen to main's
// events, none is missed: each is kept and given to the first render's listeners as they start
// (see heardAtBoot). On a page that asked, those that change an answer are also applied to it. A
// page main drew keeps main's answers as they were, whatever comes: its first render must draw
// exactly what main drew, and hydration yields to the event loop, so an answer changed while it
// runs would make the two differ (React would then draw the screen again).
import type { ContractEvents, EventName, Result } from '../../preload/contract'
import {
  BOOT_INPUTS,
  OPENING_ELEMENT_ID,
  type BootAnswers,
  type BootMethod,
  type Opening,
} from '../../preload/boot'
import type { OpeningDevices } from '../../preload/model'
import { api, settle } from './api'
import { formatIn } from './format'

/** One of main's events, as heard. */
type Heard = { [E in EventName]: { event: E; payload: ContractEvents[E] } }[EventName]

let answers: Partial<BootAnswers> = {}
let openedAt: number | undefined
/** Answers an event has replaced or dropped: one that arrives after the event may predate it. */
const overtaken = new Set<BootMethod>()
let stopListening: Array<() => void> = []
/** The events heard during the boot, for the first render's listeners. */
let heard: Heard[] = []

/** The answers that a change of credentials or of devices makes stale. */
const staleAfter: Record<ContractEvents['dataChanged']['what'], BootMethod[]> = {
  credentials: ['listTenants', 'listCredentials', 'openingDevices'],
  devices: ['openingDevices'],
  audit: [],
}

/** Takes main's Opening: the first render is drawn from it, in its locale and at its moment. */
export function adoptOpening(opening: Opening): void {
  answers = { ...opening.answers }
  openedAt = opening.now
  formatIn(opening.locale)
}

/** The Opening main wrote into this page, if it did. */
function writtenOpening(): Opening | undefined {
  const block = document.getElementById(OPENING_ELEMENT_ID)
  return block?.textContent ? (JSON.parse(block.textContent) as Opening) : undefined
}

async function ask(method: BootMethod): Promise<void> {
  // Each method is called with its own input from BOOT_INPUTS, which TypeScript cannot follow
  // through a call of the union.
  const call = api()[method] as (input: unknown) => Promise<Result<unknown>>
  const result = await settle(call(BOOT_INPUTS[method]))
  if (!overtaken.has(method)) answers = { ...answers, [method]: result }
}

/**
 * Keeps main's events for the first render's listeners; with `applied`, an answer they change is
 * brought in line: a pushed managed state replaces it, a stale one is dropped (the hook that would
 * have used it asks main when it mounts).
 */
function listenDuringBoot(applied: boolean): void {
  stopListening = [
    api().on('managedChanged', (state) => {
      heard.push({ event: 'managedChanged', payload: state })
      if (!applied) return
      overtaken.add('managedState')
      answers = { ...answers, managedState: { ok: true, value: state } }
    }),
    api().on('dataChanged', (change) => {
      heard.push({ event: 'dataChanged', payload: change })
      if (!applied) return
      for (const method of staleAfter[change.what]) {
        overtaken.add(method)
        delete answers[method]
      }
    }),
  ]
}

/**
 * Starts the boot in the window: listens to main's events, and takes the page's Opening or asks
 * main for the answers. Resolves with whether main drew the first screen's markup (the answers were
 * in the page): the window then hydrates it rather than drawing its own.
 */
export async function startBoot(): Promise<{ drawnByMain: boolean }> {
  const opening = writtenOpening()
  listenDuringBoot(!opening)
  if (opening) {
    adoptOpening(opening)
    return { drawnByMain: true }
  }
  await Promise.all((Object.keys(BOOT_INPUTS) as BootMethod[]).map(ask))
  return { drawnByMain: false }
}

/** The boot's answer to `method`, for the app's first render only. */
export function bootAnswer<M extends BootMethod>(method: M): BootAnswers[M] | undefined {
  return answers[method]
}

/**
 * The `event`s main sent during the boot, oldest first: a listener of the first render hears them
 * as it starts (useEvent), in case that render read the answers before them. Hearing one twice is
 * harmless (a state, or "this changed"); missing one would leave it unseen until the next.
 */
export function heardAtBoot<E extends EventName>(event: E): ContractEvents[E][] {
  return heard.flatMap((entry) =>
    entry.event === event ? [entry.payload as ContractEvents[E]] : [],
  )
}

/** The moment the first render shows times from ("5 minutes ago"): main's, when it drew them. */
export function renderNow(): number {
  return openedAt ?? Date.now()
}

function opening(): OpeningDevices | undefined {
  const result = answers.openingDevices
  return result?.ok ? (result.value ?? undefined) : undefined
}

/** The tenant the app opens on, as main answered at boot (the one the admin last opened). */
export function openingTenantId(): string | undefined {
  return opening()?.tenantId
}

/** The boot's Devices screen, if it is `tenantId`'s: for that screen's first render only. */
export function openingScreen(tenantId: string): OpeningDevices | undefined {
  const screen = opening()
  return screen?.tenantId === tenantId ? screen : undefined
}

/**
 * Called once the first render is committed (its hooks listen to main's events by then): from
 * then on, every screen asks main itself.
 */
export function forgetBootAnswers(): void {
  answers = {}
  openedAt = undefined
  for (const stop of stopListening) stop()
  stopListening = []
  heard = []
}
