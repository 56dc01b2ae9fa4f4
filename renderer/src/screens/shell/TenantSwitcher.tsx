import type { Credential, Tenant } from '../../../../preload/model'
import { HealthDot, ScopeBadge } from '../../components/Badges'

interface TenantSwitcherProps {
  tenants: Tenant[]
  credentials: Credential[]
  selectedId: string | undefined
  onSelect: (tenantId: string) => void
}

/** Every tenant with its scope and the health of its active credential; one is the current one. */
export function TenantSwitcher({
  tenants,
  credentials,
  selectedId,
  onSelect,
}: TenantSwitcherProps) {
  const activeCheck = (tenant: Tenant) =>
    credentials.find((credential) => credential.id === tenant.activeCredentialId)?.lastCheck
  return (
    <section className="tenant-switcher" aria-labelledby="tenant-switcher-title">
      <h2 id="tenant-switcher-title" className="sidebar-heading">
        Tenants
      </h2>
      {tenants.length === 0 ? (
        <p className="muted sidebar-note">No tenant yet: add a credential in API Information.</p>
      ) : (
        <ul className="tenant-list">
          {tenants.map((tenant) => (
            <li key={tenant.id}>
              <button
                type="button"
                className="tenant-button"
                aria-current={tenant.id === selectedId ? 'true' : undefined}
                onClick={() => onSelect(tenant.id)}
              >
                <HealthDot check={activeCheck(tenant)} />
                <span className="tenant-name">{tenant.name}</span>
                <ScopeBadge scope={tenant.scope} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
