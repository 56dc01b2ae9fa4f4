// tenant import-csv: devices and coverage from a spreadsheet or an ABM Warranty export.
import { readFile } from 'node:fs/promises'
import type { Tenant } from '../../preload/model'
import type { AppServices } from '../services'
import { importDevicesCsv } from '../tenants/import-devices'
import { VaultError } from '../vault/errors'
import { parseCommand } from './args'
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from './io'

export async function runTenantCommand(
  args: string[],
  io: CliIO,
  open: () => AppServices,
): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'import-csv')
    throw new UsageError('usage: axm-credentials tenant import-csv TENANT FILE')
  const { positionals } = parseCommand(rest, { json: { type: 'boolean' } }, 2)
  const [tenantRef, file] = positionals as [string, string]
  const services = open()
  const tenant = findTenant(services.vault.tenants(), tenantRef)
  const report = importDevicesCsv(services, tenant.id, await readFile(file, 'utf8'))
  for (const { line, message } of report.errors) io.stderr(`line ${line}: ${message}`)
  io.stdout(
    `${tenant.name}: ${report.rows} rows read, ${report.devices} devices and ${report.coverage} coverage records imported, ${report.errors.length} rows rejected.`,
  )
  return report.errors.length > 0 && report.devices === 0 ? EXIT_FAILED : EXIT_OK
}

function findTenant(tenants: Tenant[], ref: string): Tenant {
  const byId = tenants.find((t) => t.id === ref)
  if (byId) return byId
  const byName = tenants.filter((t) => t.name === ref)
  if (byName.length === 1) return byName[0] as Tenant
  throw new VaultError(
    'not_found',
    byName.length > 1
      ? `More than one tenant is named “${ref}”; use its id.`
      : `No tenant is named “${ref}”.`,
  )
}
