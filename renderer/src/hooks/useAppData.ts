import type { Credential, Tenant } from '../../../preload/model'
import { api } from '../api'
import { bootAnswer } from '../boot'
import { useApiQuery } from './useApiQuery'
import { useEvent } from './useEvent'

const loadTenants = () => api().listTenants({})
const loadCredentials = () => api().listCredentials({})

export interface AppData {
  tenants: Tenant[] | undefined
  credentials: Credential[] | undefined
  reload: () => void
}

/** Tenants and credentials, fresh after any change main announces. */
export function useAppData(): AppData {
  const tenants = useApiQuery(loadTenants, bootAnswer('listTenants'))
  const credentials = useApiQuery(loadCredentials, bootAnswer('listCredentials'))
  const reload = () => {
    tenants.reload()
    credentials.reload()
  }
  useEvent('dataChanged', (change) => {
    if (change.what === 'credentials') reload()
  })
  return { tenants: tenants.data, credentials: credentials.data, reload }
}
