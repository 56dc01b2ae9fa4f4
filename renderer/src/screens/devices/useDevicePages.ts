// The devices table's rows, fetched from main a page at a time as the user scrolls, so a tenant
// with a million devices opens at once and never holds more than it has shown. Pages are found by
// key (keyset paging): the page after or before one already here, the first or the last page, or,
// for a jump of the scroll bar, the page at a position. The row count is asked once per view.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { AppError } from '../../../../preload/contract'
import type {
  DeviceCursor,
  DeviceFilter,
  DeviceRow,
  DeviceSort,
  OpeningDevices,
} from '../../../../preload/model'
import { DEFAULT_DEVICE_SORT, deviceKey } from '../../../../preload/rules'
import { api, settle } from '../../api'
import { openingScreen } from '../../boot'
import { PAGE_SIZE, pageOf } from './paging'

export interface DeviceQuery {
  tenantId: string
  filter: DeviceFilter
  search: string
  sort: DeviceSort
  /** Bumped when the tenant's devices changed, so the count and every page are fetched afresh. */
  version: number
}

interface Pages {
  key: string
  total: number | undefined
  pages: ReadonlyMap<number, DeviceRow[]>
  error?: AppError
}

export interface DevicePages {
  /** Rows matching the query; undefined until the count arrives. */
  total: number | undefined
  error: AppError | undefined
  rowAt: (index: number) => DeviceRow | undefined
  /** Fetches page `page` unless it is here or on its way. */
  ensurePage: (page: number) => void
}

/** Where page `page` starts, from the pages already here: by key wherever a neighbour is known. */
function cursorFor(
  page: number,
  store: Pages,
  sort: DeviceSort,
): { cursor: DeviceCursor; limit: number } {
  const limit = PAGE_SIZE
  const previous = store.pages.get(page - 1)?.at(-1)
  if (previous) return { cursor: { after: deviceKey(previous, sort.column) }, limit }
  const next = store.pages.get(page + 1)?.[0]
  if (next) return { cursor: { before: deviceKey(next, sort.column) }, limit }
  if (page === 0) return { cursor: { from: 'start' }, limit }
  const { total } = store
  if (total !== undefined && page === pageOf(total - 1)) {
    return { cursor: { from: 'end' }, limit: total - page * PAGE_SIZE }
  }
  return { cursor: { index: page * PAGE_SIZE }, limit }
}

/** The view whose first page the boot asks for (boot.ts): every device, in the default sort. */
const isOpeningView = ({ filter, search, sort, version }: DeviceQuery): boolean =>
  filter === 'all' &&
  search === '' &&
  version === 0 &&
  sort.column === DEFAULT_DEVICE_SORT.column &&
  sort.descending === DEFAULT_DEVICE_SORT.descending

/** The boot's rows as the pages of view `key`, if the boot brought this tenant's. */
function openingPages(key: string, opening: OpeningDevices | undefined): Pages | undefined {
  return opening && { key, total: opening.total, pages: new Map([[0, opening.rows]]) }
}

export function useDevicePages(query: DeviceQuery): DevicePages {
  const { tenantId, filter, search, sort, version } = query
  // A new sort, like a new view, starts over: its pages are other rows.
  const key = JSON.stringify([tenantId, filter, search, sort.column, sort.descending, version])
  // The screen the app opens on starts with the rows the boot brought.
  const [store, setStore] = useState<Pages>(
    () =>
      (isOpeningView(query) ? openingPages(key, openingScreen(tenantId)) : undefined) ?? {
        key,
        total: undefined,
        pages: new Map(),
      },
  )
  // What ensurePage sees of the pages here; layout effects run before the table's effects ask.
  const storeRef = useRef(store)
  useLayoutEffect(() => {
    storeRef.current = store
  }, [store])
  // The pages asked for under the current key. Reset from ensurePage itself, never by an effect:
  // the table's effects run before this hook's, and a reset there would ask for page 0 twice.
  const requested = useRef({ key, pages: new Set(store.pages.keys()) })
  const latestKey = useRef(key)

  const ensurePage = useCallback(
    (page: number) => {
      latestKey.current = key
      if (requested.current.key !== key) requested.current = { key, pages: new Set() }
      const asked = requested.current.pages
      if (asked.has(page)) return
      asked.add(page)
      const current = storeRef.current.key === key ? storeRef.current : undefined
      const { cursor, limit } = cursorFor(
        page,
        current ?? { key, total: undefined, pages: new Map() },
        sort,
      )
      void settle(api().queryDevices({ tenantId, filter, search, sort, cursor, limit })).then(
        (result) => {
          if (latestKey.current !== key) return
          if (!result.ok) asked.delete(page)
          setStore((previous) => {
            const base =
              previous.key === key ? previous : { key, total: undefined, pages: new Map() }
            if (!result.ok) return { ...base, error: result.error }
            return { ...base, pages: new Map(base.pages).set(page, result.value) }
          })
        },
      )
    },
    [key, tenantId, filter, search, sort],
  )

  // The first page and the count go out together, once per view; the page first, as the rows are
  // what the admin waits for. A view that started with the boot's rows has both.
  useEffect(() => {
    if (storeRef.current.key === key && storeRef.current.total !== undefined) return
    let current = true
    ensurePage(0)
    void settle(api().countDeviceView({ tenantId, filter, search })).then((result) => {
      if (!current) return
      setStore((previous) => {
        const base = previous.key === key ? previous : { key, total: undefined, pages: new Map() }
        return result.ok ? { ...base, total: result.value } : { ...base, error: result.error }
      })
    })
    return () => {
      current = false
    }
  }, [key, tenantId, filter, search, ensurePage])

  const current = store.key === key ? store : undefined
  return {
    total: current?.total,
    error: current?.error,
    rowAt: (index) => current?.pages.get(pageOf(index))?.[index % PAGE_SIZE],
    ensurePage,
  }
}
