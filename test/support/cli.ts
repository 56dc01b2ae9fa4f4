// Runs the real axm-credentials executable in a child process, as an admin's shell would.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

export interface CliRun {
  status: number | null
  stdout: string
  stderr: string
}

const entry = join(import.meta.dirname, '..', '..', 'main', 'cli', 'main.ts')

export function runCliProcess(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): CliRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, AXM_KEY_PASSPHRASE: '', ...env },
    input,
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
