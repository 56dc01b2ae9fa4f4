// What the first screen needs, asked of main the moment the bundle runs: main.tsx imports this
// module before React, so the answers travel while React and the app are evaluated, and the
// Devices screen's first rows come with the tenant list instead of one round trip after it. The
// app's first render waits for all of them and is drawn once, whole; after it, the answers are let
// go, so a screen opened later asks main for what is current.
import type { MethodName, MethodOutput, Result } from '../../preload/contract'
import { api, settle } from './api'
import { PAGE_SIZE } from './screens/devices/paging'

type BootMethod = Extract<
  MethodName,
  'listTenants' | 'listCredentials' | 'openingDevices' | 'managedState'
>
type Answers = { [M in BootMethod]?: Result<MethodOutput<M>> }

let answers: Answers = {}

async function ask<M extends BootMethod>(
  method: M,
  call: Promise<Result<MethodOutput<M>>>,
): Promise<void> {
  const result = await settle(call)
  answers = { ...answers, [method]: result }
}

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

/** Called once the first render is committed: from then on, every screen asks main itself. */
export function forgetBootAnswers(): void {
  answers = {}
}
