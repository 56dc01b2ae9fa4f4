import { useCallback, useEffect, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import type { AppError, Result } from '../../../preload/contract'
import { settle } from '../api'

export interface ApiQuery<T> {
  data: T | undefined
  error: AppError | undefined
  loading: boolean
  reload: () => void
}

interface Settled<T> {
  load: () => Promise<Result<T>>
  generation: number
  result: Result<T>
}

/**
 * Runs `load` (memoise it with useCallback) and again whenever it changes or `reload` is called.
 * While a reload runs, the previous answer of the same query stays on screen instead of flickering;
 * a different query (another tenant, another filter) never shows the old one's data. `answered`,
 * an answer already here (the boot's), stands for the first run of `load`.
 */
export function useApiQuery<T>(load: () => Promise<Result<T>>, answered?: Result<T>): ApiQuery<T> {
  const [generation, setGeneration] = useState(0)
  const [settled, setSettled] = useState<Settled<T> | undefined>(
    () => answered && { load, generation: 0, result: answered },
  )
  // The run `answered` stands for. Kept, not used up: React's StrictMode (dev) runs each effect
  // twice on mount, and the second run must not ask main either.
  const answeredRun = useRef(answered && { load, generation: 0 })

  useEffect(() => {
    const run = answeredRun.current
    if (run?.load === load && run.generation === generation) return
    let current = true
    void settle(load()).then((result) => {
      // Rendered synchronously: React then runs the effects too instead of leaving them for after
      // the next paint, so the queries of a screen this answer opens go out in the same task.
      if (current) flushSync(() => setSettled({ load, generation, result }))
    })
    return () => {
      current = false
    }
  }, [load, generation])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  const sameQuery = settled?.load === load
  const result = sameQuery ? settled.result : undefined
  return {
    data: result?.ok ? result.value : undefined,
    error: result && !result.ok ? result.error : undefined,
    loading: !sameQuery || settled.generation !== generation,
    reload,
  }
}
