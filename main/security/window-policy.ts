// Hardening every web contents the app creates: no new windows, no navigation away from the app,
// no webviews, no permission prompts.
import { app, session, type WebContents } from 'electron'
import { isAppUrl } from './app-origin'

export function hardenWebContents(devServerUrl?: string): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  )
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, devServerUrl)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}
