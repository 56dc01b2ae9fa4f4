// Finds the tenant a command line names, by its id or else by its name.
import type { Tenant } from '../../preload/model'
import { VaultError } from '../vault/errors'

export function findTenant(tenants: Tenant[], ref: string): Tenant {
  const byId = tenants.find((t) => t.id === ref)
  if (byId) return byId
  const byName = tenants.filter((t) => t.name === ref)
  if (byName.length === 1) return byName[0] as Tenant
  throw new VaultError(
    'not_found',
    byName.length > 1
      ? `More than one tenant is named "${ref}"; use its id.`
      : `No tenant is named "${ref}".`,
  )
}
