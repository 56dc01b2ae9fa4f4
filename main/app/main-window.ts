// The app's one window. On macOS it can be closed while the app keeps running, so nothing holds on
// to it: the reference is cleared on 'closed' and every use looks it up again.
import { BrowserWindow } from 'electron'

export interface MainWindowOptions {
  /** What the window shows: the app:// renderer, or the dev server. */
  url: string
  preload: string
  /** Packaged builds have no DevTools. */
  packaged: boolean
  /** A page that cannot load would leave an invisible window: it is reported instead. */
  onLoadFailed(error: unknown): void
  /** Each time the page has loaded (its scripts have run, so it listens to main's events). */
  onLoaded(): void
}

export class MainWindow {
  #window: BrowserWindow | undefined

  constructor(private readonly options: MainWindowOptions) {}

  /** The open window, or undefined once it was closed. */
  get current(): BrowserWindow | undefined {
    return this.#window
  }

  /** Brings the window forward, opening a new one when there is none ('activate', a second launch). */
  show(): void {
    const window = this.#window
    if (!window) {
      this.#window = this.#create()
      return
    }
    if (window.isMinimized()) window.restore()
    window.focus()
  }

  #create(): BrowserWindow {
    const window = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 960,
      minHeight: 600,
      title: 'AxM Credential Manager',
      show: false,
      webPreferences: {
        preload: this.options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
        devTools: !this.options.packaged,
      },
    })
    window.once('ready-to-show', () => window.show())
    window.webContents.on('did-finish-load', () => this.options.onLoaded())
    window.on('closed', () => {
      if (this.#window === window) this.#window = undefined
    })
    window.loadURL(this.options.url).catch((error: unknown) => this.options.onLoadFailed(error))
    return window
  }
}
