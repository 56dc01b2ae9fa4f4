// The crash matrix of `remove --delete-data`: the removal is SIGKILLed right after each of its
// steps, and the next start's recovery must leave either the tenant whole (killed before its
// records went) or the tenant gone with its data, its key and its note, the audit log saying the
// data was deleted exactly once, and only then.
import { existsSync, readdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { AuditLog } from '../../../main/audit/audit-log'
import { TenantDatabase } from '../../../main/tenants/tenant-database'
import { TenantDatabases } from '../../../main/tenants/tenant-databases'
import { KeychainSecretStore } from '../../../main/vault/secret-store'
import { FileStateStore } from '../../../main/vault/state-store'
import { generateDevicesCsv } from '../../support/device-csv'
import type {
  TenantRemovalCrashJob,
  TenantRemovalStep,
} from '../../support/tenant-removal-crash-child'
import { runAndKillAtPause } from '../../support/kill-at-pause'
import { useSandbox } from './support/sandbox'
import { openVault } from './support/vault-fixture'

const CHILD = fileURLToPath(new URL('../../support/tenant-removal-crash-child.ts', import.meta.url))
const TENANT_NAME = 'Acme Corp'

const sandbox = useSandbox()

const STEPS: TenantRemovalStep[] = [
  'data noted',
  'records removed',
  'removal audited',
  'key deleted',
  'data deleted',
  'data deletion audited',
]

const runAndKill = (job: TenantRemovalCrashJob) => runAndKillAtPause(CHILD, job)

const vaultWithDatabases = () =>
  openVault(sandbox.dataDir, sandbox.service, { tenantData: new TenantDatabases(sandbox.dataDir) })

async function tenantWithData(): Promise<{ credentialId: string; tenantId: string }> {
  const credential = await vaultWithDatabases().add({
    name: TENANT_NAME,
    clientId: `BUSINESSAPI.${randomUUID()}`,
    keyId: randomUUID(),
    key: sandbox.newKey(),
  })
  const db = TenantDatabase.open(sandbox.dataDir, credential.tenantId)
  db.importCsv(generateDevicesCsv(50, 1))
  db.close()
  return { credentialId: credential.id, tenantId: credential.tenantId }
}

function filesOf(tenantId: string): string[] {
  const folder = dirname(new TenantDatabases(sandbox.dataDir).path(tenantId))
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.startsWith(tenantId)) : []
}

describe('remove --delete-data killed after each step', () => {
  it.each(STEPS)('is settled by the next start: killed after “%s”', async (step) => {
    const { credentialId, tenantId } = await tenantWithData()
    await runAndKill({
      dataDir: sandbox.dataDir,
      service: sandbox.service,
      credentialId,
      tenantName: TENANT_NAME,
      killAfter: step,
    })

    const recovered = await vaultWithDatabases().recover()

    const state = new FileStateStore(sandbox.dataDir).read()
    const audit = new AuditLog(sandbox.dataDir)
    const removals = audit.list({ tenantId, kind: 'tenant.removed' })
    const keys = await new KeychainSecretStore(sandbox.service).accounts()
    if (step === 'data noted') {
      // Killed before its records went: nothing was removed, and the note is gone.
      expect(recovered).toEqual([{ tenantId, action: 'abandoned' }])
      expect(Object.keys(state.tenants)).toEqual([tenantId])
      expect(keys).toEqual([credentialId])
      expect(filesOf(tenantId)).toEqual([`${tenantId}.sqlite`])
      expect(TenantDatabase.open(sandbox.dataDir, tenantId).counts().devices).toBe(50)
      expect(audit.list({ kind: 'credential.removed' })).toEqual([])
      expect(removals).toEqual([])
    } else {
      expect(state.tenants).toEqual({})
      expect(state.credentials).toEqual({})
      expect(state.vaultIntents).toEqual({})
      expect(keys).toEqual([])
      expect(filesOf(tenantId)).toEqual([])
      expect(removals).toMatchObject([
        {
          summary: `Removed tenant "${TENANT_NAME}" and deleted its data`,
          details: { credentialsRemoved: 1 },
        },
      ])
      expect(audit.list({ kind: 'credential.removed' })).toMatchObject([
        { credentialId, details: { tenantData: 'delete', status: 'active' } },
      ])
    }
    // A second start finds nothing left to do and writes nothing.
    const auditBefore = audit.list()
    expect(await vaultWithDatabases().recover()).toEqual([])
    expect(audit.list()).toEqual(auditBefore)
  })
})
