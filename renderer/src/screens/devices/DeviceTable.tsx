import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef } from 'react'
import type { DeviceRow } from '../../../../preload/model'
import { formatDate } from '../../format'
import { pageOf, type DevicePages } from './useDevicePages'
import './DeviceTable.css'

const ROW_HEIGHT = 36
const COLUMNS = ['Serial', 'Model', 'Family', 'Coverage', 'End date', 'Status']

const coverageLabel: Record<DeviceRow['coverageState'], string> = {
  active: 'In coverage',
  expiringSoon: 'Expiring soon',
  expired: 'Expired',
  none: 'No data',
}

/** Only the rows in view are in the DOM; the pages behind them are fetched as they come into view. */
export function DeviceTable({
  pages,
  onOpen,
}: {
  pages: DevicePages
  /** Opens the device panel of a serial number. */
  onOpen: (serial: string) => void
}) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const total = pages.total ?? 0
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read fresh each render on purpose; nothing here is memoised by the compiler.
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  })
  const items = virtualizer.getVirtualItems()
  const firstPage = pageOf(items[0]?.index ?? 0)
  const lastPage = pageOf(items.at(-1)?.index ?? 0)
  const { ensurePage } = pages

  useEffect(() => {
    for (let page = firstPage; page <= lastPage; page++) ensurePage(page)
  }, [firstPage, lastPage, ensurePage])

  return (
    <div className="device-table" role="table" aria-label="Devices" aria-rowcount={total + 1}>
      <div role="rowgroup" className="device-table-head">
        <div role="row" aria-rowindex={1} className="device-row">
          {COLUMNS.map((column) => (
            <div key={column} role="columnheader" className="device-cell">
              {column}
            </div>
          ))}
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className="device-table-scroll" tabIndex={0}>
        <div className="device-table-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <div
              key={item.key}
              role="row"
              aria-rowindex={item.index + 2}
              className={item.index % 2 ? 'device-row odd' : 'device-row'}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <DeviceCells row={pages.rowAt(item.index)} onOpen={onOpen} />
            </div>
          ))}
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
      <div role="cell" className="device-cell">
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
        {formatDate(row.coverageEnd)}
      </div>
      <div role="cell" className="device-cell">
        {row.status ?? '—'}
      </div>
    </>
  )
}
