// What the first screen needs, asked of main the moment the bundle runs: main.tsx imports this
// module before React, so the answers travel while React and the app are evaluated, and the
// Devices screen's first rows come with the tenant list instead of one round trip after it. The
// app's first render waits for all of them and is drawn once, whole; after it, the answers are let
// go, so a screen opened later asks main for what is current. Until that render's hooks listen to
// main's events, the events that change an answer are applied here, so none is missed.
import type { ContractEvents, MethodName, MethodOutput, Result } from '../../preload/contract'
import type { OpeningDevices } from '../../preload/model'
import { api, settle } from './api'
import { PAGE_SIZE } from './screens/devices/paging'

type BootMethod = Extract<
  MethodName,
  'listTenants' | 'listCredentials' | 'openingDevices' | 'managedState'
>
type Answers = { [M in BootMethod]?: Result<MethodOutput<M>> }

let answers: Answers = {}
/** Answers an event has replaced or dropped: one that arrives after the event may predate it. */
const overtaken = new Set<BootMethod>()

async function ask<M extends BootMethod>(
  method: M,
  call: Promise<Result<MethodOutput<M>>>,
): Promise<void> {
  const result = await settle(call)
  if (!overtaken.has(method)) answers = { ...answers, [method]: result }
}

/** The answers that a change of credentials or of devices makes stale. */
const staleAfter: Record<ContractEvents['dataChanged']['what'], BootMethod[]> = {
  credentials: ['listTenants', 'listCredentials', 'openingDevices'],
  devices: ['openingDevices'],
  audit: [],
}

// A pushed managed state replaces the answer; a stale answer is dropped, and the hook that would
// have used it asks main when it mounts.
const stopListening = [
  api().on('managedChanged', (state) => {
    overtaken.add('managedState')
    answers = { ...answers, managedState: { ok: true, value: state } }
  }),
  api().on('dataChanged', ({ what }) => {
    for (const method of staleAfter[what]) {
      overtaken.add(method)
      delete answers[method]
    }
  }),
]

/** Resolves when main has answered every boot request. */
export const bootAnswered: Promise<unknown> = Promise.all([
  ask('listTenants', api().listTenants({})),
  ask('listCredentials', api().listCredentials({})),
  ask('openingDevices', api().openingDevices({ limit: PAGE_SIZE })),
  ask('managedState', api().managedState({})),
])

/** The boot's answer to `method`, for the app's first render only. */
export function bootAnswer<M extends BootMethod>(method: M): Answers[M] {
  return answers[method]
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
  for (const stop of stopListening) stop()
}
