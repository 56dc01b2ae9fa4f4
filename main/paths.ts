// Where the app keeps its state. The CLI computes the same folder Electron's app.getPath('userData')
// gives the app, so both see the same credentials without Electron being loaded.
import { homedir } from 'node:os'
import { join } from 'node:path'

export const PRODUCT_NAME = 'AxM Credential Manager'
export const APP_ID = 'com.axmcredentials.manager'
export const KEYCHAIN_SERVICE = 'AxM Credential Manager'

export function defaultUserDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const home = homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME)
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME)
}

/** `--data-dir` wins, then env AXM_DATA_DIR, then the app's own userData folder. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.AXM_DATA_DIR ?? defaultUserDataDir(process.platform, env)
}

/** The folder of each tenant's SQLite database. */
export const tenantDbPath = (dataDir: string, tenantId: string): string =>
  join(dataDir, 'tenants', `${tenantId}.sqlite`)
