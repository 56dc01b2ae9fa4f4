// What `axm-credentials --help` and `list` load, run from the build as users run it: the CLI's
// start is about the modules a command loads (npm run bench times it), so a heavy one creeping
// back into either shows here, by name.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { generateDevicesCsv } from '../support/device-csv'
import { makeSandbox, newCredentialArgs, runBuiltCli } from './support/sandbox'
import { root } from './support/app-process'

const sandbox = makeSandbox()
afterAll(() => sandbox.remove())

const recorder = pathToFileURL(join(import.meta.dirname, 'support', 'module-recorder.ts')).href
const bin = join(root, 'bin', 'axm-credentials.js')

/** The modules (source paths, packages, builtins) one run of the built CLI loads. */
function modulesLoadedBy(args: string[]): string[] {
  const log = join(sandbox.dir, 'modules.json')
  const run = spawnSync(process.execPath, ['--import', recorder, bin, ...args], {
    cwd: root,
    env: { ...process.env, AXM_DATA_DIR: sandbox.userData, AXM_MODULE_LOG: log },
    encoding: 'utf8',
  })
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  const modules = JSON.parse(readFileSync(log, 'utf8')) as string[]
  // The chunks are read by their module marks: none found would make every check below vacuous.
  expect(modules).toContain('main/cli/index.ts')
  return modules
}

/** Where the worker threads start from, which the entry point names: no imports. */
const WORKER_SCRIPT = 'main/worker-script.ts'

const packagesIn = (modules: string[]): string[] => [
  ...new Set(
    modules.filter((m) => m.startsWith('node_modules/')).map((m) => m.split('/')[1] as string),
  ),
]

describe('the CLI at start', () => {
  it('--help loads the command table and nothing else: no package, no model, no service', () => {
    const modules = modulesLoadedBy(['--help'])
    expect(packagesIn(modules)).toEqual([])
    const outside = modules.filter((m) => m.startsWith('main/') && !m.startsWith('main/cli/'))
    expect(outside).toEqual([WORKER_SCRIPT])
    expect(modules).not.toContain('preload/model.ts')
  })

  it('list loads the state file alone: zod (bundled) is the only package, node:crypto not loaded', () => {
    for (const index of [1, 2]) {
      expect(runBuiltCli(sandbox, newCredentialArgs(sandbox, `Start ${index}`)).status).toBe(0)
    }
    const modules = modulesLoadedBy(['list'])
    expect(modules).toContain('main/vault/state-store.ts')
    // conf (and its ajv), undici, node-forge, proper-lockfile, plist, csv-parse: none of them.
    expect(packagesIn(modules)).toEqual(['zod'])
    const services = modules.filter(
      (m) =>
        m === 'main/services.ts' ||
        m === 'main/vault-services.ts' ||
        (/^main\/(rotation|managed|tenants|audit)\//.test(m) && m !== WORKER_SCRIPT) ||
        m === 'main/sync/sync-service.ts' ||
        /^main\/vault\/(vault|secret-store|private-key)\.ts$/.test(m) ||
        m === 'main/cli/credential-commands.ts',
    )
    expect(services).toEqual([])
    // node:crypto is some 8 ms of a start; only a write and the tenant databases need it.
    expect(modules).not.toContain('node:crypto')
    expect(modules).not.toContain('node:sqlite')
    // The schemas list reads are zod/mini: zod's classic API, with its cost at start, stays out.
    expect(modules.filter((m) => m.startsWith('node_modules/zod/v4/classic/'))).toEqual([])
    expect(modules.some((m) => m.startsWith('node_modules/zod/v4/mini/'))).toBe(true)
  })

  it('tenant import-csv starts its worker thread from the build and imports through it', () => {
    expect(runBuiltCli(sandbox, newCredentialArgs(sandbox, 'Import School')).status).toBe(0)
    const csv = join(sandbox.dir, 'devices.csv')
    writeFileSync(csv, generateDevicesCsv(1_200, 2))
    const run = runBuiltCli(sandbox, ['tenant', 'import-csv', 'Import School', csv, '--json'])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 2_400, devices: 1_200, coverage: 2_400 })
  })
})
