// Where managed credentials come from on each platform. Every source is read-only: the app never
// writes to it, and only an administrator can (see file-source.ts and registry-source.ts).
//
// Precedence: the FIRST source that is present wins and the others are not read. Managed
// preferences are forced per key, and a more specific level replaces the key's whole value rather
// than merging arrays (macOS: the user's managed preferences over the computer's; Windows: machine
// policy over user policy). A present but unreadable source still wins, and is reported: falling
// back to another file would show credentials the admin meant to replace.
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { APP_ID } from '../paths'
import { PolicyFileSource } from './file-source'
import { RegistrySource } from './registry-source'

export type SourceReadResult =
  { present: false } | { present: true; payload: unknown } | { present: true; error: string }

export interface ManagedSource {
  /** A path or registry key, for messages and the banner. */
  readonly location: string
  read(): Promise<SourceReadResult>
  /** Calls `onChange` (debounced) after the source may have changed; returns a stop function. */
  watch(onChange: () => void): () => void
}

export const MANAGED_PREFS_ENV = 'AXM_MANAGED_PREFS'
export const NO_SOURCE_LOCATION = '(no managed source)'
const MAC_PREFS_DIR = '/Library/Managed Preferences'
const WINDOWS_POLICY_KEY = 'SOFTWARE\\Policies\\AxMCredentialManager'
const LINUX_POLICY_DIR = '/etc/axm-credential-manager'

export interface PlatformSourceOptions {
  packaged: boolean
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  /** The macOS short user name for per-user managed preferences; defaults to the current user. */
  user?: string
}

/** Whether env AXM_MANAGED_PREFS replaces the platform's sources (never in a packaged build). */
export function usesManagedPrefsOverride({
  packaged,
  env = process.env,
}: Pick<PlatformSourceOptions, 'packaged' | 'env'>): boolean {
  return !packaged && Boolean(env[MANAGED_PREFS_ENV])
}

/** The sources to read, most specific first. */
export function platformSources({
  packaged,
  env = process.env,
  platform = process.platform,
  user,
}: PlatformSourceOptions): ManagedSource[] {
  const override = env[MANAGED_PREFS_ENV]
  if (override && usesManagedPrefsOverride({ packaged, env })) {
    // Tests and admins trying a payload before pushing it point at their own file, which they own
    // and not root; the owner check would refuse it. Its mode is still checked, and a packaged
    // build ignores the variable, so it cannot steer a real installation.
    return [new PolicyFileSource(override, { trustedOwnerUid: null })]
  }
  if (platform === 'darwin') {
    const plistName = `${APP_ID}.plist`
    return [
      new PolicyFileSource(join(MAC_PREFS_DIR, user ?? userInfo().username, plistName)),
      new PolicyFileSource(join(MAC_PREFS_DIR, plistName)),
    ]
  }
  if (platform === 'win32') {
    return [
      new RegistrySource(`HKLM\\${WINDOWS_POLICY_KEY}`),
      new RegistrySource(`HKCU\\${WINDOWS_POLICY_KEY}`),
    ]
  }
  return [
    new PolicyFileSource(join(LINUX_POLICY_DIR, 'managed.json')),
    new PolicyFileSource(join(LINUX_POLICY_DIR, 'managed.plist')),
  ]
}

/** Reads the sources in order and answers the first present one (see precedence above). */
export async function readFirstPresent(
  sources: readonly ManagedSource[],
): Promise<{ location: string; result: SourceReadResult }> {
  for (const source of sources) {
    const result = await source.read()
    if (result.present) return { location: source.location, result }
  }
  return { location: sources[0]?.location ?? NO_SOURCE_LOCATION, result: { present: false } }
}
