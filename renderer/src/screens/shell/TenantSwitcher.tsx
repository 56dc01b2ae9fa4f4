import { useId, useRef, useState, type KeyboardEvent } from 'react'
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

/** From this many tenants on, a box above the list finds one by name. */
const FILTER_FROM = 8

/** Arrow keys move between the tenants; Home and End jump to the first and last. */
const STEP: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (index, count) => Math.min(index + 1, count - 1),
  ArrowUp: (index) => Math.max(index - 1, 0),
  Home: () => 0,
  End: (_index, count) => count - 1,
}

/**
 * Every tenant with its scope and the health of its active credential; one is the current one.
 * A tenant whose last credential was removed with its data kept stays listed, so its devices can
 * still be opened, but is marked as having no credential. The list is one Tab stop: arrow keys
 * move inside it, so sixty tenants do not stand between the keyboard and the sections.
 */
export function TenantSwitcher({
  tenants,
  credentials,
  selectedId,
  onSelect,
}: TenantSwitcherProps) {
  const filterId = useId()
  const [filter, setFilter] = useState('')
  const listRef = useRef<HTMLUListElement>(null)
  const needle = filter.trim().toLocaleLowerCase()
  const shown = tenants.filter((t) => t.name.toLocaleLowerCase().includes(needle))
  const tabStop = shown.find((t) => t.id === selectedId)?.id ?? shown[0]?.id
  const activeCheck = (tenant: Tenant) =>
    credentials.find((credential) => credential.id === tenant.activeCredentialId)?.lastCheck

  function move(event: KeyboardEvent<HTMLUListElement>) {
    const step = STEP[event.key]
    const buttons = [...(listRef.current?.querySelectorAll<HTMLElement>('.tenant-button') ?? [])]
    const at = buttons.indexOf(document.activeElement as HTMLElement)
    if (!step || at < 0) return
    event.preventDefault()
    buttons[step(at, buttons.length)]?.focus()
  }

  return (
    <section className="tenant-switcher" aria-labelledby="tenant-switcher-title">
      <h2 id="tenant-switcher-title" className="sidebar-heading">
        Tenants
      </h2>
      {tenants.length === 0 ? (
        <p className="muted sidebar-note">No tenant yet: add a credential in API Information.</p>
      ) : (
        <>
          {tenants.length >= FILTER_FROM && (
            <div className="tenant-filter">
              <label htmlFor={filterId} className="visually-hidden">
                Find a tenant
              </label>
              <input
                id={filterId}
                type="search"
                placeholder="Find a tenant"
                autoComplete="off"
                value={filter}
                onChange={(event) => setFilter(event.target.value)}
              />
            </div>
          )}
          {shown.length === 0 && (
            <p className="muted sidebar-note" role="status">
              No tenant is named like "{filter.trim()}".
            </p>
          )}
          <ul className="tenant-list" ref={listRef} onKeyDown={move}>
            {shown.map((tenant) => {
              const noCredential = tenant.activeCredentialId === null
              return (
                <li key={tenant.id}>
                  <button
                    type="button"
                    className="tenant-button"
                    tabIndex={tenant.id === tabStop ? 0 : -1}
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
        </>
      )}
    </section>
  )
}
