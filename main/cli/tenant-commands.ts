// tenant import-csv: devices and coverage from a spreadsheet or an ABM Warranty export.
// tenant rename: the tenant's own name, which its credentials' names do not change.
import type { VaultServices } from '../vault-services'
import { importDevicesCsvFile, recoverImportAudits } from '../tenants/import-devices'
import { parseCommand } from './args'
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from './io'
import { formatImportProgress } from './progress-bar'
import { findTenant } from './tenant-lookup'

export async function runTenantCommand(
  args: string[],
  io: CliIO,
  open: () => VaultServices,
): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'rename') return renameTenant(rest, io, open)
  if (sub !== 'import-csv')
    throw new UsageError(
      'usage: axm-credentials tenant import-csv TENANT FILE [--json] | tenant rename TENANT NAME',
    )
  const { values, positionals } = parseCommand(rest, { json: { type: 'boolean' } }, 2)
  const [tenantRef, file] = positionals as [string, string]
  const services = open()
  const tenant = findTenant(services.vault.tenants(), tenantRef)
  recoverImportAudits(services, [tenant.id])
  const { status } = io
  const report = await importDevicesCsvFile(services, tenant.id, file, {
    onProgress: status && ((progress) => status(formatImportProgress(progress))),
  }).finally(() => status?.(''))
  for (const { line, message } of report.errors) io.stderr(`line ${line}: ${message}`)
  if (values.json) io.stdout(JSON.stringify({ tenantId: tenant.id, ...report }, null, 2))
  else
    io.stdout(
      `${tenant.name}: ${report.rows} rows read, ${report.devices} devices and ${report.coverage} coverage records imported, ${report.skipped} rows rejected.`,
    )
  return report.skipped > 0 && report.devices === 0 ? EXIT_FAILED : EXIT_OK
}

async function renameTenant(args: string[], io: CliIO, open: () => VaultServices): Promise<number> {
  const { values, positionals } = parseCommand(args, { json: { type: 'boolean' } }, 2)
  const [tenantRef, name] = positionals as [string, string]
  const services = open()
  const tenant = findTenant(services.vault.tenants(), tenantRef)
  const renamed = await services.vault.renameTenant(tenant.id, name)
  if (values.json) io.stdout(JSON.stringify(renamed, null, 2))
  else io.stdout(`Renamed tenant "${tenant.name}" to "${renamed.name}".`)
  return EXIT_OK
}
