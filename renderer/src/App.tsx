import { useState } from 'react'
import { api, settle } from './api'
import { openingTenantId } from './boot'
import { useAppData } from './hooks/useAppData'
import { useShortcuts } from './hooks/useShortcuts'
import { useManagedState } from './hooks/useManagedState'
import { loadedWhenShown } from './components/loadedWhenShown'
import { DevicesScreen } from './screens/devices/DevicesScreen'
import { ManagedBanner } from './screens/managed/ManagedBanner'
import type { Section } from './screens/shell/sections'
import { Sidebar } from './screens/shell/Sidebar'
import { TenantSwitcher } from './screens/shell/TenantSwitcher'

// The app opens on Devices: the other screens and dialogs load when first shown.
const AddCredentialDialog = loadedWhenShown(() =>
  import('./screens/api-information/AddCredentialDialog').then((m) => m.AddCredentialDialog),
)
const ApiInformationScreen = loadedWhenShown(() =>
  import('./screens/api-information/ApiInformationScreen').then((m) => m.ApiInformationScreen),
)
const AuditLogScreen = loadedWhenShown(() =>
  import('./screens/audit/AuditLogScreen').then((m) => m.AuditLogScreen),
)

export function App() {
  const data = useAppData()
  const managed = useManagedState()
  const [chosenSection, setSection] = useState<Section>()
  const [chosenTenantId, setTenantId] = useState(openingTenantId)
  const openTenant = (tenantId: string) => {
    setTenantId(tenantId)
    // Where the app opens next time: a preference, so a failure to keep it is not worth a word.
    void settle(api().rememberOpenedTenant({ tenantId }))
  }
  // Add Credential, for a new tenant or (from its Devices screen) one without a credential.
  const [adding, setAdding] = useState<{ tenantId?: string }>()

  const tenants = data.tenants ?? []
  const credentials = data.credentials ?? []
  const tenant = tenants.find((t) => t.id === chosenTenantId) ?? tenants[0]
  // Until the admin picks a section, a fresh install opens where the first credential is added.
  const section = chosenSection ?? (data.tenants?.length === 0 ? 'api-information' : 'devices')
  useShortcuts({ addCredential: () => setAdding({}) })

  if (!data.tenants || !data.credentials) {
    return (
      <div className="app-loading" role="status">
        Loading…
      </div>
    )
  }

  return (
    <div className="app">
      {managed.state && (
        <ManagedBanner
          managed={managed.state}
          credentials={credentials}
          onChanged={() => {
            managed.reload()
            data.reload()
          }}
        />
      )}
      <div className="app-body">
        <Sidebar
          section={section}
          onNavigate={setSection}
          tenantSwitcher={
            <TenantSwitcher
              tenants={tenants}
              credentials={credentials}
              selectedId={tenant?.id}
              onSelect={openTenant}
            />
          }
        />
        <main className="content">
          {section === 'devices' && (
            <DevicesScreen
              tenant={tenant}
              credentials={credentials}
              onAddCredential={() => setSection('api-information')}
              onAddCredentialTo={(tenantId) => setAdding({ tenantId })}
            />
          )}
          {section === 'audit' && <AuditLogScreen tenants={tenants} />}
          {section === 'api-information' && (
            <ApiInformationScreen
              tenants={tenants}
              credentials={credentials}
              tenantId={tenant?.id}
              onSelectTenant={openTenant}
              onAdd={() => setAdding({})}
              onChanged={data.reload}
            />
          )}
        </main>
      </div>
      {adding && (
        <AddCredentialDialog
          tenants={tenants}
          initialTenantId={adding.tenantId}
          onClose={() => setAdding(undefined)}
          onAdded={(credential) => {
            setAdding(undefined)
            // A kept tenant taken over from its Devices screen stays there, with its devices.
            if (adding.tenantId === undefined) setSection('api-information')
            openTenant(credential.tenantId)
            data.reload()
          }}
        />
      )}
    </div>
  )
}
