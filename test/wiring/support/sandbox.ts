// A throwaway folder per test (the app's userData inside it), a key made by openssl, and the BUILT
// CLI run on the same data folder.
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeP256Key } from '../../support/openssl-keys'
import { builtCli, root, standInImport } from './app-process'

export interface Sandbox {
  dir: string
  userData: string
  remove(): void
}

export function makeSandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'axm-wiring-'))
  return { dir, userData: join(dir, 'userData'), remove: () => rmSync(dir, { recursive: true }) }
}

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

/** The built CLI on the sandbox's data folder; `env` can switch on the stand-in's hooks too. */
export function runBuiltCli(
  sandbox: Sandbox,
  args: string[],
  env: Record<string, string> = {},
): CliResult {
  const hooks = env.AXM_WIRING_NO_LIBSECRET ? ['--import', standInImport] : []
  const result = spawnSync(process.execPath, [...hooks, builtCli, ...args], {
    cwd: root,
    env: { ...process.env, AXM_DATA_DIR: sandbox.userData, AXM_KEY_PASSPHRASE: '', ...env },
    encoding: 'utf8',
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** `add` arguments for a new credential with a fresh openssl key. */
export function newCredentialArgs(sandbox: Sandbox, name: string): string[] {
  return [
    'add',
    '--name',
    name,
    '--client-id',
    `BUSINESSAPI.${randomUUID()}`,
    '--key-id',
    randomUUID(),
    '--key',
    makeP256Key(sandbox.dir, `${randomUUID()}.pem`),
  ]
}
