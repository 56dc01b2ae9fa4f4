// Hardening every web contents the app creates: no new windows, no navigation or redirect away
// from the app, no webviews, no permissions (neither prompted for nor silently checked).
import { app, session, type WebContents } from 'electron'
import { isAppUrl } from './app-origin'

export function hardenWebContents(devServerUrl?: string): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    const stayInApp = (event: { preventDefault(): void }, url: string) => {
      if (!isAppUrl(url, devServerUrl)) event.preventDefault()
    }
    contents.on('will-navigate', stayInApp)
    contents.on('will-redirect', stayInApp)
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}
