import { useState } from 'react'
import type { ManagedState } from '../../../preload/model'
import { api } from '../api'
import { bootAnswer } from '../boot'
import { useApiQuery } from './useApiQuery'
import { useEvent } from './useEvent'

const loadManagedState = () => api().managedState({})

/** The managed-preferences entries waiting for the admin: read at start, then as main pushes them. */
export function useManagedState(): { state: ManagedState | undefined; reload: () => void } {
  const query = useApiQuery(loadManagedState, bootAnswer('managedState'))
  const [pushed, setPushed] = useState<ManagedState>()
  useEvent('managedChanged', setPushed)
  return {
    state: pushed ?? query.data,
    reload: () => {
      setPushed(undefined)
      query.reload()
    },
  }
}
