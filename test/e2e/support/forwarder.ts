// Test-only: the script Playwright installs before the page loads, defining window.api with the
// same shape preload/index.ts exposes, each method POSTed to the loopback API server.
import { contract } from '../../../preload/contract'

/** A self-contained function, serialised into the page by page.addInitScript. */
function installApi({ token, methods }: { token: string; methods: string[] }): void {
  const api: Record<string, unknown> = {}
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const stream = new EventSource(`/__events?token=${token}`)
  // Calls wait for the event stream, as IPC events can never be missed in Electron either. Once
  // it is open, a call goes out at once, as ipcRenderer.invoke does: one made while a script runs
  // (the renderer's boot requests) is not held back until the script has finished.
  let open = false
  const connected = new Promise<void>((resolve) =>
    stream.addEventListener('open', () => {
      open = true
      resolve()
    }),
  )
  stream.onmessage = (message) => {
    const { event, payload } = JSON.parse(message.data) as { event: string; payload: unknown }
    for (const listener of listeners.get(event) ?? []) listener(payload)
  }
  for (const name of methods) {
    api[name] = async (input: unknown) => {
      if (!open) await connected
      const response = await fetch(`/__api/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-axm-token': token },
        body: JSON.stringify(input ?? null),
      })
      if (!response.ok) throw new Error(`API ${name} answered HTTP ${response.status}`)
      return response.json()
    }
  }
  api.on = (event: string, listener: (payload: unknown) => void) => {
    const set = listeners.get(event) ?? new Set()
    set.add(listener)
    listeners.set(event, set)
    return () => set.delete(listener)
  }
  Object.defineProperty(globalThis, 'api', { value: Object.freeze(api), writable: false })
  // What Electron's did-finish-load tells main: the page's scripts have run, and it listens (here,
  // once the event stream is open too).
  const page = globalThis as unknown as EventTarget
  const loaded = new Promise((resolve) => page.addEventListener('load', resolve))
  void Promise.all([loaded, connected]).then(() =>
    fetch('/__loaded', { method: 'POST', headers: { 'x-axm-token': token } }),
  )
}

export function forwarderScript(
  token: string,
): [typeof installApi, Parameters<typeof installApi>[0]] {
  return [installApi, { token, methods: Object.keys(contract) }]
}
