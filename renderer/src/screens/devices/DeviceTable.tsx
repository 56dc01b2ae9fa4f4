import { useEffect, useLayoutEffect, useRef } from 'react'
import type { DeviceRow, DeviceSort, DeviceSortColumn } from '../../../../preload/model'
import { OPEN_ENDED_COVERAGE } from '../../../../preload/rules'
import { SortableHeader } from '../../components/SortableHeader'
import { formatDate } from '../../format'
import { pageOf } from './paging'
import type { DevicePages } from './useDevicePages'
import { useScaledWindow } from './useScaledWindow'
import './DeviceTable.css'

const ROW_HEIGHT = 36
const COLUMNS: readonly { label: string; sort: DeviceSortColumn }[] = [
  { label: 'Serial', sort: 'serial' },
  { label: 'Model', sort: 'model' },
  { label: 'Family', sort: 'family' },
  { label: 'Coverage', sort: 'coverage' },
  { label: 'End date', sort: 'coverageEnd' },
  { label: 'Status', sort: 'status' },
]

const coverageLabel: Record<DeviceRow['coverageState'], string> = {
  active: 'In coverage',
  expiringSoon: 'Expiring soon',
  expired: 'Expired',
  noData: 'No data',
  noRecord: 'No coverage record',
  notFound: 'Not found',
}

/**
 * Only the rows in view are in the DOM; the pages behind them are fetched as they come into view.
 * Each column header sorts the table (see SortableHeader); a new sort starts at its first row.
 */
export function DeviceTable({
  pages,
  onOpen,
  sort,
  onSort,
}: {
  pages: DevicePages
  /** Opens the device panel of a serial number. */
  onOpen: (serial: string) => void
  sort: DeviceSort
  onSort: (sort: DeviceSort) => void
}) {
  const scrollRef = useRef<HTMLDivElement>(null)
  // Scrolled as the admin sorts, not by an effect of the sort: scrolling lays the page out, and on
  // the first render that layout would hold back the requests of the screen's own effects.
  const sortFromTop = (next: DeviceSort) => {
    scrollRef.current?.scrollTo({ top: 0 })
    onSort(next)
  }
  const total = pages.total ?? 0
  const view = useScaledWindow(scrollRef, total, ROW_HEIGHT, 20)
  const indexes = Array.from({ length: view.end - view.start }, (_, i) => view.start + i)
  const firstPage = pageOf(view.start)
  const lastPage = pageOf(Math.max(view.start, view.end - 1))
  const { ensurePage } = pages
  const spacerRef = useRef<HTMLDivElement>(null)
  const windowRef = useRef<HTMLDivElement>(null)
  const scrollHeight = view.scrollHeight
  const windowTop = view.top(view.start)

  // Placed through the DOM, not by style props: main draws the opening screen as HTML, and the
  // Content Security Policy rightly refuses style attributes in markup, which hydration would then
  // leave unapplied. The rows sit in the flow of one window, moved to where the first of them goes.
  useLayoutEffect(() => {
    if (spacerRef.current) spacerRef.current.style.height = `${scrollHeight}px`
    if (windowRef.current) windowRef.current.style.transform = `translateY(${windowTop}px)`
  }, [scrollHeight, windowTop])

  useEffect(() => {
    if (total === 0) return
    for (let page = firstPage; page <= lastPage; page++) ensurePage(page)
  }, [total, firstPage, lastPage, ensurePage])

  return (
    <div className="device-table" role="table" aria-label="Devices" aria-rowcount={total + 1}>
      <div role="rowgroup" className="device-table-head">
        <div role="row" aria-rowindex={1} className="device-row">
          {COLUMNS.map((column) => (
            <SortableHeader
              key={column.sort}
              cell="columnheader"
              className="device-cell"
              column={column.sort}
              label={column.label}
              order={sort}
              onSort={sortFromTop}
            />
          ))}
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className="device-table-scroll" tabIndex={0}>
        <div ref={spacerRef} className="device-table-spacer">
          <div ref={windowRef} className="device-table-window">
            {indexes.map((index) => (
              <div
                key={index}
                role="row"
                aria-rowindex={index + 2}
                className={index % 2 ? 'device-row odd' : 'device-row'}
              >
                <DeviceCells row={pages.rowAt(index)} onOpen={onOpen} />
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  )
}

function DeviceCells({
  row,
  onOpen,
}: {
  row: DeviceRow | undefined
  onOpen: (serial: string) => void
}) {
  if (!row) {
    return (
      <div role="cell" className="device-cell muted">
        Loading…
      </div>
    )
  }
  return (
    <>
      <div role="cell" className="device-cell cell-mono">
        <button
          type="button"
          className="link-button"
          aria-label={`${row.serial}: show device details`}
          onClick={() => onOpen(row.serial)}
        >
          {row.serial}
        </button>
      </div>
      <div role="cell" className="device-cell" title={row.model ?? undefined}>
        {row.model ?? '—'}
      </div>
      <div role="cell" className="device-cell">
        {row.family ?? '—'}
      </div>
      <div role="cell" className="device-cell">
        <span className={`coverage-pill coverage-${row.coverageState}`}>
          {coverageLabel[row.coverageState]}
        </span>
        {row.coverage && <span className="coverage-name">{row.coverage}</span>}
      </div>
      <div role="cell" className="device-cell">
        {row.coverageEnd === OPEN_ENDED_COVERAGE ? 'While subscribed' : formatDate(row.coverageEnd)}
      </div>
      <div role="cell" className="device-cell">
        {row.inactive ? 'Left the organisation' : (row.status ?? '—')}
      </div>
    </>
  )
}
