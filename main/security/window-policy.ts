// Hardening every web contents the app creates: no new windows, no navigation or redirect away
// from the app, no webviews, and no permission but the one the Copy buttons need, for the app's own
// main frame only (neither prompted for nor silently checked otherwise).
import { app, session, type WebContents } from 'electron'
import { isAppUrl } from './app-origin'

/** navigator.clipboard.writeText; reading the clipboard stays denied. */
const GRANTED_PERMISSION = 'clipboard-sanitized-write'

interface PermissionAsk {
  permission: string
  isMainFrame: boolean
  requestingUrl: string | undefined
}

function permissionAllowed(ask: PermissionAsk, devServerUrl?: string): boolean {
  return (
    ask.permission === GRANTED_PERMISSION &&
    ask.isMainFrame &&
    ask.requestingUrl !== undefined &&
    isAppUrl(ask.requestingUrl, devServerUrl)
  )
}

export function hardenWebContents(devServerUrl?: string): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(
      permissionAllowed(
        { permission, isMainFrame: details.isMainFrame, requestingUrl: details.requestingUrl },
        devServerUrl,
      ),
    ),
  )
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin, details) =>
    permissionAllowed(
      {
        permission,
        isMainFrame: details.isMainFrame,
        requestingUrl: details.requestingUrl ?? origin,
      },
      devServerUrl,
    ),
  )
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
