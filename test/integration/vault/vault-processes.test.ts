import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { AuditLog } from '../../../main/audit/audit-log'
import { KeychainSecretStore } from '../../../main/vault/secret-store'
import { useSandbox } from './support/sandbox'

const sandbox = useSandbox()
const run = promisify(execFile)
const script = fileURLToPath(new URL('./support/add-credentials.ts', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

type AddResult = { ok: true; id: string } | { ok: false; code: string; message: string }

async function addInChild(
  prefix: string,
  keyFiles: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<AddResult[]> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', script, sandbox.dataDir, sandbox.service, prefix, ...keyFiles],
    { cwd: repoRoot, env },
  )
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AddResult)
}

describe('the vault across processes', () => {
  it('loses no credential when three processes add at the same time', async () => {
    const prefixes = ['First', 'Second', 'Third']
    const batches = prefixes.map(() => Array.from({ length: 4 }, () => sandbox.newKeyFile()))
    const results = await Promise.all(
      prefixes.map((prefix, i) => addInChild(prefix, batches[i] ?? [])),
    )

    const ids = results.flat().map((result) => (result.ok ? result.id : result.message))
    expect(ids).toHaveLength(12)
    const listed = sandbox.vault.list()
    expect(listed.map((c) => c.id).sort()).toEqual([...ids].sort())
    expect(sandbox.vault.tenants()).toHaveLength(12)
    expect((await new KeychainSecretStore(sandbox.service).accounts()).sort()).toEqual(
      [...ids].sort(),
    )
    expect(new AuditLog(sandbox.dataDir).read()).toMatchObject({ skippedLines: 0 })
    expect(new AuditLog(sandbox.dataDir).list({ kind: 'credential.added' })).toHaveLength(12)
  })

  it('explains a missing keychain and records nothing', async () => {
    const noSecretService = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' }
    const [result] = await addInChild('Offline', [sandbox.newKeyFile()], noSecretService)
    expect(result).toEqual({
      ok: false,
      code: 'keychain_unavailable',
      message:
        'The system keychain is not available (locked or no Secret Service running). Nothing was changed. ' +
        'Unlock your keychain, or on Linux install and start gnome-keyring, then try again.',
    })
    expect(sandbox.vault.list()).toEqual([])
    expect(sandbox.vault.tenants()).toEqual([])
    expect(new AuditLog(sandbox.dataDir).list()).toEqual([])
  })
})
