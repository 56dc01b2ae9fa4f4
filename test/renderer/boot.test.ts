// The renderer's boot (renderer/src/boot.ts) in Node: window.api is an in-memory stand-in of the
// preload's bridge (each call answers at once, each event is the test's to send), and the page's
// data block a stand-in document's element. What is checked is the boot's own bookkeeping: which
// answers the first render reads, and which events its listeners hear.
import { afterEach, describe, expect, test, vi } from 'vitest'
import type { Api, ContractEvents, EventName } from '../../preload/contract'
import { BOOT_INPUTS, OPENING_ELEMENT_ID, type Opening } from '../../preload/boot'

type Listener = (payload: unknown) => void

function standIn(opening?: Opening) {
  const asked: Array<{ method: string; input: unknown }> = []
  const listeners = new Map<string, Set<Listener>>()
  const api = new Proxy({} as Api, {
    get(_, name: string) {
      if (name === 'on') {
        return (event: string, listener: Listener) => {
          const set = listeners.get(event) ?? new Set()
          set.add(listener)
          listeners.set(event, set)
          return () => set.delete(listener)
        }
      }
      return (input: unknown) => {
        asked.push({ method: name, input })
        return Promise.resolve({ ok: true, value: `answer to ${name}` })
      }
    },
  })
  const block = opening && { textContent: JSON.stringify(opening) }
  vi.stubGlobal('window', { api })
  vi.stubGlobal('document', {
    getElementById: (id: string) => (id === OPENING_ELEMENT_ID ? block : null) ?? null,
  })
  const emit = <E extends EventName>(event: E, payload: ContractEvents[E]) => {
    for (const listener of listeners.get(event) ?? []) listener(payload)
  }
  return { asked, emit, listening: () => [...listeners.values()].reduce((n, s) => n + s.size, 0) }
}

const managed = (revision: string) =>
  ({ entries: [], revision }) as unknown as ContractEvents['managedChanged']

const opening: Opening = {
  answers: {
    listTenants: { ok: true, value: [] },
    listCredentials: { ok: true, value: [] },
    openingDevices: { ok: true, value: null },
    managedState: { ok: true, value: managed('served') },
  },
  locale: 'de-DE',
  now: Date.parse('2026-01-02T03:04:05Z'),
}

// A fresh boot module for each test: its state is the module's.
const freshBoot = async () => {
  vi.resetModules()
  return import('../../renderer/src/boot')
}

afterEach(() => vi.unstubAllGlobals())

describe('the boot of a page main drew', () => {
  test('takes main’s answers, asks nothing, and reckons time from main’s moment', async () => {
    const page = standIn(opening)
    const boot = await freshBoot()
    expect(await boot.startBoot()).toEqual({ drawnByMain: true })
    expect(page.asked).toEqual([])
    expect(boot.bootAnswer('managedState')).toEqual(opening.answers.managedState)
    expect(boot.renderNow()).toBe(opening.now)
  })

  test('an event heard before the first render’s listeners start is given to them, and then let go', async () => {
    const page = standIn(opening)
    const boot = await freshBoot()
    await boot.startBoot()
    page.emit('managedChanged', managed('pushed'))
    page.emit('dataChanged', { what: 'devices', tenantId: 't1' })
    expect(boot.heardAtBoot('managedChanged')).toEqual([managed('pushed')])
    expect(boot.heardAtBoot('dataChanged')).toEqual([{ what: 'devices', tenantId: 't1' }])
    // The first render still draws what main drew (it may already be hydrating): its listeners
    // bring the screen up to date once it is the window's.
    expect(boot.bootAnswer('managedState')).toEqual(opening.answers.managedState)
    expect(boot.bootAnswer('openingDevices')).toEqual(opening.answers.openingDevices)

    boot.forgetBootAnswers()
    expect(boot.heardAtBoot('managedChanged')).toEqual([])
    expect(boot.bootAnswer('listTenants')).toBeUndefined()
    expect(page.listening()).toBe(0)
    const before = Date.now()
    expect(boot.renderNow()).toBeGreaterThanOrEqual(before)
  })
})

describe('the boot of a page without main’s answers (the dev server’s)', () => {
  test('asks main each boot question once, with its input', async () => {
    const page = standIn()
    const boot = await freshBoot()
    expect(await boot.startBoot()).toEqual({ drawnByMain: false })
    expect(page.asked).toEqual(
      Object.entries(BOOT_INPUTS).map(([method, input]) => ({ method, input })),
    )
    expect(boot.bootAnswer('listTenants')).toEqual({ ok: true, value: 'answer to listTenants' })
  })

  test('an event before the first render replaces or drops the answers it changes, and is kept', async () => {
    const page = standIn()
    const boot = await freshBoot()
    await boot.startBoot()
    page.emit('managedChanged', managed('pushed'))
    page.emit('dataChanged', { what: 'devices', tenantId: 't1' })
    expect(boot.bootAnswer('managedState')).toEqual({ ok: true, value: managed('pushed') })
    expect(boot.bootAnswer('openingDevices')).toBeUndefined()
    expect(boot.bootAnswer('listTenants')).toEqual({ ok: true, value: 'answer to listTenants' })
    expect(boot.heardAtBoot('managedChanged')).toEqual([managed('pushed')])
  })
})
