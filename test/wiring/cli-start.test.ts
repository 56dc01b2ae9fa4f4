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

const packagesIn = (modules: string[]): string[] => [
  ...new Set(
    modules.filter((m) => m.startsWith('node_modules/')).map((m) => m.split('/')[1] as string),
  ),
]

describe('the CLI at start', () => {
  it('--help loads the command table and nothing else: no package, no model, no service', () => {
    const modules = modulesLoadedBy(['--help'])
    expect(packagesIn(modules)).toEqual([])
    // Where the import's worker thread starts from: a path, with no imports of its own.
    const outside = modules.filter((m) => m.startsWith('main/') && !m.startsWith('main/cli/'))
    expect(outside).toEqual(['main/tenants/import-worker-script.ts'])
    expect(modules).not.toContain('preload/model.ts')
  })

  it('list loads the state file and the vault: zod (bundled) is the only package', () => {
    for (const index of [1, 2]) {
      expect(runBuiltCli(sandbox, newCredentialArgs(sandbox, `Start ${index}`)).status).toBe(0)
    }
    const modules = modulesLoadedBy(['list'])
    expect(modules).toContain('main/vault-services.ts')
    // conf (and its ajv), undici, node-forge, proper-lockfile, plist, csv-parse: none of them.
    expect(packagesIn(modules)).toEqual(['zod'])
    const services = modules.filter(
      (m) =>
        m === 'main/services.ts' ||
        /^main\/(rotation|managed)\//.test(m) ||
        m === 'main/sync/sync-service.ts' ||
        m === 'main/vault/private-key.ts' ||
        m === 'main/cli/credential-commands.ts',
    )
    expect(services).toEqual([])
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
