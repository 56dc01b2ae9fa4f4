// The one origin the renderer is served from. IPC senders and navigations are checked against it.

export const APP_ORIGIN = 'app://renderer'

export function isAppUrl(url: string, devServerUrl?: string): boolean {
  try {
    const { origin, protocol, host } = new URL(url)
    if (protocol === 'app:' && host === 'renderer') return true
    return devServerUrl !== undefined && origin === new URL(devServerUrl).origin
  } catch {
    return false
  }
}
