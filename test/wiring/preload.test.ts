// The BUILT preload (out/preload/index.cjs) run as Electron runs a sandboxed preload: CommonJS in a
// context of its own whose `require` knows only the sandbox's modules ('electron' with the
// renderer's APIs, events, timers, url). It must expose exactly the contract as window.api.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { runInNewContext } from 'node:vm'
import { beforeAll, expect, test } from 'vitest'
import { contract, eventChannel, invokeChannel, type MethodName } from '../../preload/contract'
import { assertBuilt, builtPreload } from './support/app-process'

/** What Electron lets a sandboxed preload require (docs: tutorial/sandbox, "Preload scripts"). */
const SANDBOX_MODULES = ['events', 'timers', 'url']

interface Recorded {
  exposed: Array<{ name: string; api: Record<string, unknown> }>
  invoked: Array<{ channel: string; input: unknown }>
  listeners: Map<string, Set<(...args: unknown[]) => void>>
  required: string[]
}

function runPreload(): Recorded {
  const recorded: Recorded = { exposed: [], invoked: [], listeners: new Map(), required: [] }
  const ipcRenderer = {
    invoke(channel: string, input: unknown) {
      recorded.invoked.push({ channel, input })
      return Promise.resolve({ ok: true, value: channel })
    },
    on(channel: string, listener: (...args: unknown[]) => void) {
      const set = recorded.listeners.get(channel) ?? new Set()
      recorded.listeners.set(channel, set.add(listener))
      return ipcRenderer
    },
    removeListener(channel: string, listener: (...args: unknown[]) => void) {
      recorded.listeners.get(channel)?.delete(listener)
      return ipcRenderer
    },
  }
  const electron = {
    contextBridge: {
      exposeInMainWorld: (name: string, api: Record<string, unknown>) =>
        recorded.exposed.push({ name, api }),
    },
    ipcRenderer,
  }
  const nodeRequire = createRequire(import.meta.url)
  const sandboxRequire = (id: string): unknown => {
    recorded.required.push(id)
    if (id === 'electron') return electron
    const name = id.replace(/^node:/, '')
    if (SANDBOX_MODULES.includes(name)) return nodeRequire(`node:${name}`)
    throw new Error(`module not found: ${id}`)
  }
  const module = { exports: {} }
  const wrapper = runInNewContext(
    `(function (exports, require, module, setImmediate, clearImmediate) {\n${readFileSync(builtPreload, 'utf8')}\n})`,
    {},
    { filename: builtPreload },
  ) as (...args: unknown[]) => void
  wrapper(module.exports, sandboxRequire, module, setImmediate, clearImmediate)
  return recorded
}

let preload: Recorded
beforeAll(() => {
  assertBuilt()
  preload = runPreload()
})

test('requires nothing a sandboxed preload cannot load', () => {
  const allowed = (id: string) =>
    id === 'electron' || SANDBOX_MODULES.includes(id.replace(/^node:/, ''))
  expect(preload.required.filter((id) => !allowed(id))).toEqual([])
  expect(preload.required).toContain('electron')
})

test('exposes window.api once, with exactly the contract methods and `on`', () => {
  expect(preload.exposed.map((entry) => entry.name)).toEqual(['api'])
  const api = preload.exposed[0]!.api
  expect(Object.keys(api).sort()).toEqual([...Object.keys(contract), 'on'].sort())
  expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true)
})

test('each method is one invoke on its own channel, passing the input through', async () => {
  const api = preload.exposed[0]!.api as Record<string, (input: unknown) => Promise<unknown>>
  for (const name of Object.keys(contract) as MethodName[]) {
    const input = { probe: name }
    expect(await api[name]!(input)).toEqual({ ok: true, value: invokeChannel(name) })
    expect(preload.invoked.at(-1)).toEqual({ channel: invokeChannel(name), input })
  }
})

test('`on` forwards only the payload of its own event channel and unsubscribes', () => {
  const api = preload.exposed[0]!.api as {
    on(event: string, listener: (payload: unknown) => void): () => void
  }
  const received: unknown[] = []
  const stop = api.on('dataChanged', (payload) => received.push(payload))
  const channel = eventChannel('dataChanged')
  const [forward] = [...preload.listeners.get(channel)!]
  forward!({ sender: 'ipc event' }, { what: 'credentials' })
  expect(received).toEqual([{ what: 'credentials' }])
  stop()
  expect(preload.listeners.get(channel)!.size).toBe(0)
  expect([...preload.listeners.keys()]).toEqual([channel])
})
