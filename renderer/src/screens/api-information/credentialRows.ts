// What the credentials table shows of the credentials: those the search matches, in the order the
// admin chose. By default in tenant order, the same alphabetical order as the sidebar.
import type { Credential, Tenant } from '../../../../preload/model'
import type { SortOrder as Order } from '../../components/SortableHeader'

export type SortColumn = 'tenant' | 'name' | 'clientId' | 'status' | 'keyAge'

export type SortOrder = Order<SortColumn>

export interface CredentialRow {
  credential: Credential
  tenantName: string
}

const STATUS_ORDER = { active: 0, pending: 1, retired: 2 } as const

function sortKey(row: CredentialRow, column: SortColumn): string | number {
  const { credential } = row
  switch (column) {
    case 'tenant':
      return row.tenantName.toLocaleLowerCase()
    case 'name':
      return credential.name.toLocaleLowerCase()
    case 'clientId':
      return credential.clientId
    case 'status':
      return STATUS_ORDER[credential.status]
    case 'keyAge':
      // Oldest key first when ascending: the one most due for a change.
      return credential.activatedAt ?? credential.createdAt
  }
}

function compare(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))
}

/** Matches the search against every column a person might remember a credential by. */
function matches(row: CredentialRow, search: string): boolean {
  if (search === '') return true
  const { credential } = row
  return [
    row.tenantName,
    credential.name,
    credential.clientId,
    credential.keyId,
    credential.publicKeyFingerprint,
  ].some((value) => value.toLocaleLowerCase().includes(search))
}

export function credentialRows(
  credentials: Credential[],
  tenants: Tenant[],
  search: string,
  order: SortOrder,
): CredentialRow[] {
  const names = new Map(tenants.map((tenant) => [tenant.id, tenant.name]))
  const needle = search.trim().toLocaleLowerCase()
  const direction = order.descending ? -1 : 1
  return credentials
    .map((credential) => ({ credential, tenantName: names.get(credential.tenantId) ?? '' }))
    .filter((row) => matches(row, needle))
    .sort(
      (a, b) =>
        direction * compare(sortKey(a, order.column), sortKey(b, order.column)) ||
        compare(sortKey(a, 'tenant'), sortKey(b, 'tenant')) ||
        compare(sortKey(a, 'status'), sortKey(b, 'status')),
    )
}
