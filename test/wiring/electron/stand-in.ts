// A stand-in for the 'electron' module, for running the BUILT main process in Node. It records what
// the app asks of Electron and, on the test's command (over the child-process IPC channel), fires
// the events Electron would fire. It re-implements nothing: a handler the app registers is simply
// called with what the test gives, and every answer of Electron's is a fixed, plain value.
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { takeCoverage } from 'node:v8'
import type { Command, Reply } from './protocol.ts'

export interface Call {
  api: string
  args: unknown[]
  /** Whether app 'ready' had fired when the call was made. */
  ready: boolean
}

const calls: Call[] = []
let ready = false
let markReady: () => void = () => {}
const readyPromise = new Promise<void>((resolve) => (markReady = resolve))

/** A copy the IPC channel can carry: functions become a marker. */
function plain(value: unknown): unknown {
  if (typeof value === 'function') return '[function]'
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]))
  }
  return value
}

function record(api: string, ...args: unknown[]): void {
  calls.push({ api, args: args.map(plain), ready })
}

const env = process.env

class App extends EventEmitter {
  readonly isPackaged = env.AXM_WIRING_PACKAGED === '1'

  whenReady(): Promise<void> {
    record('app.whenReady')
    return readyPromise
  }

  isReady(): boolean {
    return ready
  }

  getPath(name: string): string {
    record('app.getPath', name)
    if (name !== 'userData' || !env.AXM_WIRING_USER_DATA) throw new Error(`No path for ${name}`)
    return env.AXM_WIRING_USER_DATA
  }

  getVersion(): string {
    return (
      JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }
    ).version
  }

  /** The app's locale: AXM_WIRING_LOCALE, else British English (not Node's default here). */
  getLocale(): string {
    return env.AXM_WIRING_LOCALE ?? 'en-GB'
  }

  setAppUserModelId(id: string): void {
    record('app.setAppUserModelId', id)
  }

  requestSingleInstanceLock(): boolean {
    record('app.requestSingleInstanceLock')
    return true
  }

  quit(): void {
    record('app.quit')
  }

  exit(code = 0): void {
    record('app.exit', code)
    send({ type: 'exit', code, calls }, () => process.exit(code))
  }
}

export const app = new App()

class WebFrameMain {
  url: string
  constructor(url: string) {
    this.url = url
  }
}

class WebContents extends EventEmitter {
  readonly id = windows.length
  readonly mainFrame = new WebFrameMain('about:blank')
  destroyed = false
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined

  isDestroyed(): boolean {
    return this.destroyed
  }

  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new TypeError('Object has been destroyed')
    record('webContents.send', this.id, channel, payload)
  }

  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    record('webContents.setWindowOpenHandler')
    this.windowOpenHandler = handler
  }
}

const windows: BrowserWindow[] = []

export class BrowserWindow extends EventEmitter {
  static getAllWindows(): BrowserWindow[] {
    return windows.filter((window) => !window.destroyed)
  }

  readonly #contents = new WebContents()
  destroyed = false
  minimized = false

  constructor(options: unknown) {
    super()
    record('new BrowserWindow', options)
    windows.push(this)
    // Electron announces every new web contents, the window's own included.
    app.emit('web-contents-created', { preventDefault() {} }, this.#contents)
  }

  // Electron throws when a destroyed window's webContents is asked for.
  get webContents(): WebContents {
    if (this.destroyed) throw new TypeError('Object has been destroyed')
    return this.#contents
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  loadURL(url: string): Promise<void> {
    record('window.loadURL', url)
    this.#contents.mainFrame.url = url
    if (env.AXM_WIRING_LOAD_FAILS === '1') {
      return Promise.reject(new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`))
    }
    return Promise.resolve()
  }

  isMinimized(): boolean {
    return this.minimized
  }

  restore(): void {
    record('window.restore')
  }

  focus(): void {
    record('window.focus')
  }

  show(): void {
    record('window.show')
  }

  /** The user closed the window: Electron destroys it, then emits 'closed'. */
  userClosed(): void {
    this.destroyed = true
    this.#contents.destroyed = true
    this.emit('closed')
  }
}

type Handler = (...args: never[]) => unknown
const ipcHandlers = new Map<string, Handler>()
export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    record('ipcMain.handle', channel)
    ipcHandlers.set(channel, handler)
  },
  on(channel: string): void {
    record('ipcMain.on', channel)
  },
}

const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>()
export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown): void {
    record('protocol.registerSchemesAsPrivileged', schemes)
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    record('protocol.handle', scheme)
    protocolHandlers.set(scheme, handler)
  },
}

const permissionHandlers: { request?: Handler; check?: Handler } = {}
export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: Handler): void {
      record('session.setPermissionRequestHandler')
      permissionHandlers.request = handler
    },
    setPermissionCheckHandler(handler: Handler): void {
      record('session.setPermissionCheckHandler')
      permissionHandlers.check = handler
    },
    /** The system's proxy answer for a URL: AXM_WIRING_PROXY, else a direct connection. */
    resolveProxy(url: string): Promise<string> {
      record('session.resolveProxy', url)
      return Promise.resolve(env.AXM_WIRING_PROXY ?? 'DIRECT')
    },
  },
}

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record('dialog.showErrorBox', title, content)
  },
  showMessageBox(options: unknown): Promise<{ response: number; checkboxChecked: boolean }> {
    record('dialog.showMessageBox', options)
    return Promise.resolve({
      response: Number(env.AXM_WIRING_DIALOG_RESPONSE ?? '0'),
      checkboxChecked: false,
    })
  },
  showOpenDialog(...args: unknown[]): Promise<unknown> {
    return openDialog('dialog.showOpenDialog', args)
  },
  showSaveDialog(...args: unknown[]): Promise<unknown> {
    return openDialog('dialog.showSaveDialog', args)
  },
}

/** File dialogs stay open until the test answers them, as a user would. */
const openDialogs: Array<(answer: unknown) => void> = []
function openDialog(api: string, args: unknown[]): Promise<unknown> {
  const parent = args[0] instanceof BrowserWindow ? windows.indexOf(args[0]) : null
  record(api, { parent }, ...args.filter((arg) => !(arg instanceof BrowserWindow)))
  return new Promise((resolve) => openDialogs.push(resolve))
}

export const shell = {
  openPath(path: string): Promise<string> {
    record('shell.openPath', path)
    return Promise.resolve('')
  },
}

export const Menu = {
  buildFromTemplate(template: unknown): { template: unknown } {
    record('Menu.buildFromTemplate', template)
    return { template }
  },
  setApplicationMenu(menu: unknown): void {
    record('Menu.setApplicationMenu', menu)
  },
}

export default { app, BrowserWindow, ipcMain, protocol, session, dialog, shell, Menu }

// --- Driving it from the test ---

function send(message: unknown, then?: () => void): void {
  process.send?.(message, undefined, {}, () => then?.())
}

function windowAt(index: number): BrowserWindow {
  const window = windows[index]
  if (!window) throw new Error(`No window ${index}`)
  return window
}

function handlerFor<T>(handler: T | undefined, what: string): T {
  if (!handler) throw new Error(`The app registered no ${what}`)
  return handler
}

function senderFrame(contents: WebContents, frame: 'main' | 'subframe' | 'none', url: string) {
  if (frame === 'none') return null
  return frame === 'main' ? contents.mainFrame : new WebFrameMain(url)
}

async function run(command: Command): Promise<unknown> {
  switch (command.type) {
    case 'ready':
      ready = true
      markReady()
      app.emit('ready')
      return null
    case 'calls':
      return calls
    case 'app-event':
      app.emit(command.name, { preventDefault() {} }, ...command.args)
      return null
    case 'close-window':
      windowAt(command.window).userClosed()
      return null
    case 'window-event':
      windowAt(command.window).emit(command.name)
      return null
    case 'answer-dialog': {
      const answer = openDialogs.shift()
      if (!answer) throw new Error('No dialog is open')
      answer(command.answer)
      return null
    }
    case 'minimize-window':
      windowAt(command.window).minimized = true
      return null
    case 'navigate-frame':
      windowAt(command.window).webContents.mainFrame.url = command.url
      return null
    case 'invoke': {
      const contents = windowAt(command.window).webContents
      const handler = handlerFor(ipcHandlers.get(command.channel), `handler for ${command.channel}`)
      const frame = senderFrame(contents, command.frame, command.frameUrl ?? contents.mainFrame.url)
      return await (handler as (event: unknown, input: unknown) => unknown)(
        { sender: contents, senderFrame: frame },
        command.input,
      )
    }
    case 'fetch': {
      const handler = handlerFor(protocolHandlers.get(command.scheme), `${command.scheme}: handler`)
      const response = await handler(new Request(command.url))
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
      }
    }
    case 'permission-request': {
      const handler = handlerFor(permissionHandlers.request, 'permission request handler')
      const contents = windowAt(command.window).webContents
      return await new Promise<boolean>((resolve) =>
        (handler as (...args: unknown[]) => void)(contents, command.permission, resolve, {
          isMainFrame: command.isMainFrame,
          requestingUrl: command.requestingUrl,
        }),
      )
    }
    case 'permission-check': {
      const handler = handlerFor(permissionHandlers.check, 'permission check handler')
      const contents = windowAt(command.window).webContents
      return (handler as (...args: unknown[]) => boolean)(
        contents,
        command.permission,
        new URL(command.requestingUrl).origin,
        { isMainFrame: command.isMainFrame, requestingUrl: command.requestingUrl },
      )
    }
    case 'contents-event': {
      let prevented = false
      const event = { preventDefault: () => (prevented = true) }
      windowAt(command.window).webContents.emit(command.name, event, command.url)
      return prevented
    }
    case 'window-open': {
      const contents = windowAt(command.window).webContents
      return handlerFor(contents.windowOpenHandler, 'window open handler')({ url: command.url })
    }
    case 'take-coverage':
      takeCoverage()
      return null
    case 'release':
      // From here on only the app's own handles keep the process alive.
      process.channel?.unref()
      return null
  }
}

process.on('message', (message: { id: number; command: Command }) => {
  run(message.command).then(
    (value) => send({ type: 'reply', id: message.id, value } satisfies Reply),
    (error: unknown) =>
      send({ type: 'reply', id: message.id, error: String(error) } satisfies Reply),
  )
})
send({ type: 'loaded' })
