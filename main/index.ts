// The Electron app: lifecycle, the one window, and the wiring of services to IPC. Everything with
// behaviour lives in the services (tested in Node); this file only connects them to Electron.
import { join } from 'node:path'
import { app, BrowserWindow, dialog } from 'electron'
import { resolveTokenUrl } from './auth/token-client'
import { createHandlers, type Platform } from './ipc/handlers'
import { eventSender, registerIpc } from './ipc/register'
import { APP_ID } from './paths'
import { registerAppScheme, serveRenderer } from './security/app-protocol'
import { APP_ORIGIN, isAppUrl } from './security/app-origin'
import { hardenWebContents } from './security/window-policy'
import { createServices, type AppServices } from './services'
import { recoverImportAudits } from './tenants/import-devices'

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
let mainWindow: BrowserWindow | undefined

registerAppScheme()
app.setAppUserModelId(APP_ID)

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'AxM Credential Manager',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`)
  return window
}

function electronPlatform(): Platform {
  return {
    async pickFile({ title, filters }) {
      const options = { title, filters, properties: ['openFile' as const] }
      const result = mainWindow
        ? await dialog.showOpenDialog(mainWindow, options)
        : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
    async saveFile({ title, defaultName, filters }) {
      const options = { title, defaultPath: defaultName, filters }
      const result = mainWindow
        ? await dialog.showSaveDialog(mainWindow, options)
        : await dialog.showSaveDialog(options)
      return result.canceled ? null : (result.filePath ?? null)
    },
    emit: eventSender(() => mainWindow?.webContents),
  }
}

async function startServices(): Promise<AppServices> {
  const services = createServices({
    dataDir: app.getPath('userData'),
    tokenUrl: resolveTokenUrl({ packaged: app.isPackaged }),
    packaged: app.isPackaged,
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
  hardenWebContents(devServerUrl)
  serveRenderer(join(import.meta.dirname, '../renderer'))
  const services = await startServices()
  const platform = electronPlatform()
  registerIpc(createHandlers(services, platform), (url) => isAppUrl(url, devServerUrl))
  const stopWatching = services.managed.watch((state) => platform.emit('managedChanged', state))
  mainWindow = createWindow()

  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore()
    mainWindow?.focus()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => {
    stopWatching()
    services.close()
  })
}

function reportStartFailure(error: unknown): void {
  dialog.showErrorBox(
    'AxM Credential Manager could not start',
    error instanceof Error ? error.message : String(error),
  )
  app.exit(1)
}

// A second launch only brings the first window forward (see 'second-instance').
if (app.requestSingleInstanceLock()) main().catch(reportStartFailure)
else app.quit()
