// The crash matrix of a CSV import: SIGKILLed right after each of its steps, and then the next
// start's recovery. The data is all there or none of it, and the audit log agrees with it: one
// tenant.imported entry for the import that committed (naming its sync run), none for one that
// did not, never two.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../../../main/audit/audit-log'
import { recoverImportAudits } from '../../../main/tenants/import-devices'
import { TenantDatabases } from '../../../main/tenants/tenant-databases'
import type { CsvImportCrashJob, CsvImportStep } from '../../support/csv-import-crash-child'
import { generateDevicesCsv } from '../../support/device-csv'
import { runAndKillAtPause } from '../../support/kill-at-pause'

const CHILD = fileURLToPath(new URL('../../support/csv-import-crash-child.ts', import.meta.url))
const DEVICES = 5_000
const STEPS: CsvImportStep[] = ['rows written', 'committed', 'audited', 'settled']

let dataDir: string
let tenantId: string
let csvPath: string

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'axm-import-crash-'))
  tenantId = randomUUID()
  csvPath = join(dataDir, 'devices.csv')
  writeFileSync(csvPath, generateDevicesCsv(DEVICES, 1))
})
afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

function recoverAtNextStart() {
  const tenants = new TenantDatabases(dataDir)
  try {
    return recoverImportAudits({ tenants, audit: new AuditLog(dataDir) }, [tenantId])
  } finally {
    tenants.closeAll()
  }
}

function tenantData(): { devices: number; owed: number } {
  const tenants = new TenantDatabases(dataDir)
  try {
    const db = tenants.open(tenantId)
    return {
      devices: db.counts().devices,
      owed: db.owedImportAudits().length,
    }
  } finally {
    tenants.closeAll()
  }
}

describe('a CSV import killed after each step', () => {
  it.each(STEPS)('leaves data and audit log in agreement: killed after “%s”', async (step) => {
    await runAndKillAtPause(CHILD, {
      dataDir,
      tenantId,
      csvPath,
      killAfter: step,
    } satisfies CsvImportCrashJob)

    const recovered = recoverAtNextStart()

    const audit = new AuditLog(dataDir)
    const entries = audit.list({ tenantId, kind: 'tenant.imported' })
    const { devices, owed } = tenantData()
    expect(owed).toBe(0)
    if (step === 'rows written') {
      expect(devices).toBe(0)
      expect(entries).toEqual([])
      expect(recovered).toEqual([])
    } else {
      expect(devices).toBe(DEVICES)
      expect(entries).toHaveLength(1)
      expect(entries[0]?.details).toMatchObject({ syncRunId: 1 })
      const expected = { committed: 'written', audited: 'found' } as Record<string, string>
      expect(recovered).toEqual(
        expected[step] ? [{ tenantId, syncRunId: 1, action: expected[step] }] : [],
      )
      if (step === 'committed') {
        expect(entries[0]?.summary).toMatch(
          new RegExp(
            `^Imported from CSV: ${DEVICES} devices, ${DEVICES} coverage records, 0 rows skipped`,
          ),
        )
      }
    }
    // A second start finds nothing owed and writes nothing.
    const before = audit.list()
    expect(recoverAtNextStart()).toEqual([])
    expect(audit.list()).toEqual(before)
  })
})
