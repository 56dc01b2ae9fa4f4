import type { Credential, Tenant } from '../../../../preload/model'
import { HealthDot, ScopeBadge } from '../../components/Badges'

interface TenantSwitcherProps {
  tenants: Tenant[]
  credentials: Credential[]
  selectedId: string | undefined
  onSelect: (tenantId: string) => void
}

const NO_CREDENTIAL_DETAIL =
  'No credential: its devices and coverage history are kept. Add a credential to use this tenant again.'

/**
 * Every tenant with its scope and the health of its active credential; one is the current one.
 * A tenant whose last credential was removed with its data kept stays listed, so its devices can
 * still be opened, but is marked as having no credential.
 */
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
          {tenants.map((tenant) => {
            const noCredential = tenant.activeCredentialId === null
            return (
              <li key={tenant.id}>
                <button
                  type="button"
                  className="tenant-button"
                  aria-current={tenant.id === selectedId ? 'true' : undefined}
                  title={noCredential ? NO_CREDENTIAL_DETAIL : undefined}
                  onClick={() => onSelect(tenant.id)}
                >
                  {noCredential ? (
                    <span className="health-dot health-none" aria-hidden="true" />
                  ) : (
                    <HealthDot check={activeCheck(tenant)} />
                  )}
                  <span className="tenant-name">
                    {tenant.name}{' '}
                    {noCredential && <span className="tenant-note">No credential</span>}
                  </span>
                  <ScopeBadge scope={tenant.scope} />
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
