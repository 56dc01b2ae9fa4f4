// The Electron app: lifecycle, the one window, and the wiring of services to IPC. Everything with
// behaviour lives in the services (tested in Node); this file only connects them to Electron.
import { join } from 'node:path'
import { app, dialog, session } from 'electron'
import { setApplicationMenu } from './app/app-menu'
import { openWithElectronStore } from './app/electron-state-file'
import { MainWindow } from './app/main-window'
import { reportStartFailure } from './app/start-failure'
import { resolveTokenUrl } from './auth/token-client'
import { BootGap } from './boot/boot-gap'
import { loadOpeningMarkup, servedPage } from './boot/opening-page'
import { createHandlers, type Platform } from './ipc/handlers'
import { eventSender, registerIpc } from './ipc/register'
import { APP_ID } from './paths'
import { registerAppScheme, serveRenderer } from './security/app-protocol'
import { APP_ORIGIN, isAppUrl } from './security/app-origin'
import { hardenWebContents } from './security/window-policy'
import { createServices, type AppServices } from './services'
import { recoverImportAudits } from './tenants/import-devices'
import { importWorkerBeside, keyWorkerBeside } from './worker-script'

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const fail = (error: unknown) => void reportStartFailure(error, app.getPath('userData'))
// Main's events go to the window, and those the loading page may miss go again once it has loaded.
const events = new BootGap(eventSender(() => mainWindow.current?.webContents))
const mainWindow = new MainWindow({
  url: devServerUrl ?? `${APP_ORIGIN}/index.html`,
  preload: join(import.meta.dirname, '../preload/index.cjs'),
  packaged: app.isPackaged,
  onLoadFailed: fail,
  onLoaded: () => events.closed(),
})

registerAppScheme()
app.setAppUserModelId(APP_ID)

function electronPlatform(): Platform {
  return {
    async pickFile({ title, filters }) {
      const options = { title, filters, properties: ['openFile' as const] }
      const window = mainWindow.current
      const result = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
    async saveFile({ title, defaultName, filters }) {
      const options = { title, defaultPath: defaultName, filters }
      const window = mainWindow.current
      const result = window
        ? await dialog.showSaveDialog(window, options)
        : await dialog.showSaveDialog(options)
      return result.canceled ? null : (result.filePath ?? null)
    },
    emit: events.send,
  }
}

async function startServices(): Promise<AppServices> {
  const services = createServices({
    dataDir: app.getPath('userData'),
    tokenUrl: resolveTokenUrl({ packaged: app.isPackaged }),
    packaged: app.isPackaged,
    openStateFile: openWithElectronStore,
    importWorker: importWorkerBeside(import.meta.url),
    keyWorker: keyWorkerBeside(import.meta.url),
    // Requests to Apple go where the system's proxy settings (or PAC file) send them.
    resolveProxy: (url) => session.defaultSession.resolveProxy(url),
  })
  // A rotation interrupted by a crash or power loss is finished or rolled back before anything else.
  await services.rotation.recover()
  await services.vault.recover()
  // A CSV import killed right after its commit gets the audit entry it was owed.
  recoverImportAudits(
    services,
    services.vault.tenants().map((tenant) => tenant.id),
  )
  // Credentials whose managed entry is gone become the user's own; checked at launch only.
  await services.managed.refresh({ releaseDeparted: true })
  return services
}

async function main(): Promise<void> {
  await app.whenReady()
  setApplicationMenu()
  hardenWebContents(devServerUrl)
  // Loaded while the services start: it draws the screen the app opens on into the page the
  // app:// handler serves. The dev server's page is not that one, so it is not loaded for it.
  const markup = devServerUrl
    ? Promise.resolve(null)
    : loadOpeningMarkup(join(import.meta.dirname, 'opening-markup.js'))
  const services = await startServices()
  const platform = electronPlatform()
  const handlers = createHandlers(services, platform)
  registerIpc(handlers, (url) => isAppUrl(url, devServerUrl))
  serveRenderer(join(import.meta.dirname, '../renderer'), (built) =>
    servedPage(built, {
      handlers,
      markup,
      locale: () => app.getLocale(),
      reading: () => events.opened(),
    }),
  )
  const stopWatching = services.managed.watch((state) => platform.emit('managedChanged', state))
  mainWindow.show()

  // macOS keeps the app running with no window: the Dock icon and a second launch open one again.
  app.on('second-instance', () => mainWindow.show())
  app.on('activate', () => mainWindow.show())
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let closing: Promise<void> | undefined
  app.on('will-quit', (event) => {
    if (closing) return
    stopWatching()
    closing = services.close()
    // A running sync writes the batch in hand first; quitting goes on once it has.
    if (services.sync.running) {
      event.preventDefault()
      void closing.finally(() => app.quit())
    }
  })
}

// A second launch only brings the first window forward (see 'second-instance').
if (app.requestSingleInstanceLock()) main().catch(fail)
else app.quit()
