import { useEffect, useEffectEvent } from 'react'
import type { ContractEvents, EventName } from '../../../preload/contract'
import { api } from '../api'
import { heardAtBoot } from '../boot'

/**
 * Listens to one of main's events for as long as the component is mounted; a listener of the
 * app's first render first hears those main sent during the boot (see boot.ts).
 */
export function useEvent<E extends EventName>(
  event: E,
  listener: (payload: ContractEvents[E]) => void,
): void {
  const onEvent = useEffectEvent(listener)
  useEffect(() => {
    const stop = api().on(event, (payload) => onEvent(payload))
    for (const payload of heardAtBoot(event)) onEvent(payload)
    return stop
  }, [event])
}
