// The only bridge between the sandboxed renderer and main: exactly the contract's methods, each an
// ipcRenderer.invoke on its own channel, plus `on` for main's events. No raw ipcRenderer leaves here.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { Api } from './contract'
import { eventChannel, invokeChannel, METHOD_NAMES } from './methods'

const methods = Object.fromEntries(
  METHOD_NAMES.map((name) => [
    name,
    (input: unknown) => ipcRenderer.invoke(invokeChannel(name), input),
  ]),
)

const on: Api['on'] = (event, listener) => {
  const channel = eventChannel(event)
  const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never)
  ipcRenderer.on(channel, forward)
  return () => {
    ipcRenderer.removeListener(channel, forward)
  }
}

contextBridge.exposeInMainWorld('api', { ...methods, on })
