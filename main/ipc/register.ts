// Wires the handlers to Electron's IPC: one ipcMain.handle per contract method, answered only for
// the main frame of a window showing our own origin, so no subframe or navigated page can call in.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import {
  contract,
  eventChannel,
  invokeChannel,
  type ContractEvents,
  type EventName,
  type MethodName,
} from '../../preload/contract'
import type { Handlers } from './handlers'

export function registerIpc(handlers: Handlers, isTrustedOrigin: (url: string) => boolean): void {
  for (const name of Object.keys(contract) as MethodName[]) {
    ipcMain.handle(invokeChannel(name), (event: IpcMainInvokeEvent, input: unknown) => {
      const frame = event.senderFrame
      if (!frame || frame !== event.sender.mainFrame || !isTrustedOrigin(frame.url)) {
        return { ok: false, error: { code: 'invalid_input', message: 'Untrusted sender.' } }
      }
      return handlers[name](input)
    })
  }
}

export function eventSender(target: () => WebContents | undefined) {
  return <E extends EventName>(event: E, payload: ContractEvents[E]): void => {
    const contents = target()
    if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload)
  }
}
