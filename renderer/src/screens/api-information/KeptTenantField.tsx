import { useId } from 'react'
import type { Scope, Tenant } from '../../../../preload/model'

interface KeptTenantFieldProps {
  /** Tenants whose last credential was removed with their data kept. */
  kept: Tenant[]
  /** The scope the typed Client ID implies; undefined while it is not a valid Client ID yet. */
  scope: Scope | undefined
  /** The chosen tenant's id, or '' for a new tenant. */
  value: string
  onChange: (tenantId: string) => void
}

/** Add Credential's choice between a new tenant and one whose devices and coverage were kept. */
export function KeptTenantField({ kept, scope, value, onChange }: KeptTenantFieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  // A tenant keeps its scope, so only those the Client ID can attach to are offered. The chosen one
  // stays listed whatever is typed: the Client ID field says why it does not fit, rather than the
  // choice silently falling back to a new tenant.
  const options = kept.filter((tenant) => !scope || tenant.scope === scope || tenant.id === value)
  return (
    <div className="field">
      <label htmlFor={id}>Tenant</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={hintId}
      >
        <option value="">A new tenant</option>
        {options.map((tenant) => (
          <option key={tenant.id} value={tenant.id}>
            {tenant.name} — kept devices and coverage
          </option>
        ))}
      </select>
      <div id={hintId} className="field-hint">
        {value === ''
          ? 'Or re-use a kept tenant: the new credential takes over its devices and coverage history.'
          : "The new credential takes over this tenant's devices and coverage history."}
      </div>
    </div>
  )
}
