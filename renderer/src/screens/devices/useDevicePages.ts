// The devices table's rows, fetched from main a page at a time as the user scrolls, so a tenant
// with tens of thousands of devices opens at once and never holds more than it has shown.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { DeviceFilter, DeviceRow } from '../../../../preload/model'
import { api, settle } from '../../api'

export const PAGE_SIZE = 200

export interface DeviceQuery {
  tenantId: string
  filter: DeviceFilter
  search: string
  /** Bumped when the tenant's devices changed, so every page is fetched afresh. */
  version: number
}

interface Pages {
  key: string
  total: number | undefined
  pages: ReadonlyMap<number, DeviceRow[]>
  error?: AppError
}

export interface DevicePages {
  /** Rows matching the query; undefined until the first page arrives. */
  total: number | undefined
  error: AppError | undefined
  rowAt: (index: number) => DeviceRow | undefined
  /** Fetches page `page` unless it is here or on its way. */
  ensurePage: (page: number) => void
}

export const pageOf = (index: number): number => Math.floor(index / PAGE_SIZE)

export function useDevicePages({ tenantId, filter, search, version }: DeviceQuery): DevicePages {
  const key = JSON.stringify([tenantId, filter, search, version])
  const [store, setStore] = useState<Pages>({ key, total: undefined, pages: new Map() })
  const requested = useRef(new Set<string>())
  const latestKey = useRef(key)

  useEffect(() => {
    latestKey.current = key
    requested.current.clear()
  }, [key])

  const ensurePage = useCallback(
    (page: number) => {
      const ticket = `${key}#${page}`
      if (requested.current.has(ticket)) return
      requested.current.add(ticket)
      const query = { tenantId, filter, search, offset: page * PAGE_SIZE, limit: PAGE_SIZE }
      void settle(api().queryDevices(query)).then((result) => {
        if (latestKey.current !== key) return
        if (!result.ok) requested.current.delete(ticket)
        setStore((previous) => {
          const base = previous.key === key ? previous : { key, total: undefined, pages: new Map() }
          if (!result.ok) return { ...base, error: result.error }
          const pages = new Map(base.pages).set(page, result.value.rows)
          return { key, total: result.value.total, pages }
        })
      })
    },
    [key, tenantId, filter, search],
  )

  useEffect(() => ensurePage(0), [ensurePage])

  const current = store.key === key ? store : undefined
  return {
    total: current?.total,
    error: current?.error,
    rowAt: (index) => current?.pages.get(pageOf(index))?.[index % PAGE_SIZE],
    ensurePage,
  }
}
