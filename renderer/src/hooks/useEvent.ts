import { useEffect, useEffectEvent } from 'react'
import type { ContractEvents, EventName } from '../../../preload/contract'
import { api } from '../api'

/** Listens to one of main's events for as long as the component is mounted. */
export function useEvent<E extends EventName>(
  event: E,
  listener: (payload: ContractEvents[E]) => void,
): void {
  const onEvent = useEffectEvent(listener)
  useEffect(() => api().on(event, (payload) => onEvent(payload)), [event])
}
