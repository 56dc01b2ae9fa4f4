import type { DeviceCounts, DeviceFilter } from '../../../../preload/model'
import { formatCount } from '../../format'

const TILES: { filter: DeviceFilter; count: keyof DeviceCounts; label: string }[] = [
  { filter: 'all', count: 'devices', label: 'Devices' },
  { filter: 'inCoverage', count: 'inCoverage', label: 'In coverage' },
  { filter: 'expiringSoon', count: 'expiringSoon', label: 'Expiring within 90 days' },
  { filter: 'expired', count: 'expired', label: 'Expired' },
  { filter: 'noData', count: 'noData', label: 'No data' },
  { filter: 'inactive', count: 'inactive', label: 'Inactive' },
]

interface DeviceTilesProps {
  counts: DeviceCounts | undefined
  filter: DeviceFilter
  onFilter: (filter: DeviceFilter) => void
}

/** The tenant's device counts; each tile also filters the table to what it counts. */
export function DeviceTiles({ counts, filter, onFilter }: DeviceTilesProps) {
  return (
    <div className="tiles" role="group" aria-label="Filter devices by coverage">
      {TILES.map((tile) => (
        <button
          key={tile.filter}
          type="button"
          className={`tile tile-${tile.filter}`}
          aria-pressed={filter === tile.filter}
          onClick={() => onFilter(filter === tile.filter ? 'all' : tile.filter)}
        >
          <span className="tile-count">{counts ? formatCount(counts[tile.count]) : '–'}</span>
          <span className="tile-label">{tile.label}</span>
        </button>
      ))}
    </div>
  )
}
