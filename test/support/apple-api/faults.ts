// Scripted faults: each answers the next requests it matches (route, serial, page), a set number
// of times, in the order they were added. Nothing here is random, so a test replays exactly.
import type { Fault, RouteName } from './types'

export interface FaultTarget {
  route: RouteName
  serial?: string
  page?: number
  /** Path and query: the same request tried again has the same key. */
  requestKey: string
}

interface Armed {
  fault: Fault
  left: number
  /** Requests this fault has seen, for `firstAttemptOnly`. */
  seen: Set<string>
}

export class FaultScript {
  #armed: Armed[] = []

  add(fault: Fault): void {
    const times = fault.times ?? 1
    if (!(times >= 1)) throw new RangeError(`a fault needs times ≥ 1, not ${times}`)
    this.#armed.push({ fault, left: times, seen: new Set() })
  }

  clear(): void {
    this.#armed = []
  }

  /** The fault that answers this request, if one matches; it is used up by answering. */
  take(target: FaultTarget): Fault | undefined {
    let chosen: Armed | undefined
    for (const armed of this.#armed) {
      if (!matches(armed.fault, target)) continue
      const retry = armed.seen.has(target.requestKey)
      armed.seen.add(target.requestKey)
      if (chosen || (retry && 'delayMs' in armed.fault && armed.fault.firstAttemptOnly)) continue
      chosen = armed
    }
    if (!chosen) return undefined
    chosen.left -= 1
    if (chosen.left <= 0) this.#armed = this.#armed.filter((armed) => armed !== chosen)
    return chosen.fault
  }
}

function matches(fault: Fault, target: FaultTarget): boolean {
  return (
    fault.route === target.route &&
    (fault.serial === undefined || fault.serial === target.serial) &&
    (fault.page === undefined || fault.page === target.page)
  )
}

/** The fault as the request log names it. */
export function describeFault(fault: Fault): string {
  if ('status' in fault) return `status ${fault.status}`
  if ('reset' in fault) return `reset ${fault.reset}`
  return `delay ${fault.delayMs}`
}
