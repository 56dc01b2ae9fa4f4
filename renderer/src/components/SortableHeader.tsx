/** Which column a table is sorted by, and which way. */
export interface SortOrder<Column extends string> {
  column: Column
  descending: boolean
}

/**
 * A column header that sorts its table: a button inside the header cell (so Tab reaches it and
 * Enter or Space presses it), the order on the cell as aria-sort and beside the label as an arrow.
 * Pressing the sorted column's header turns its order around; another column's sorts ascending.
 * `cell` is `th` in an HTML table and `columnheader` in an ARIA grid of divs.
 */
export function SortableHeader<Column extends string>({
  column,
  label,
  order,
  onSort,
  cell = 'th',
  className,
}: {
  column: Column
  label: string
  order: SortOrder<Column>
  onSort: (order: SortOrder<Column>) => void
  cell?: 'th' | 'columnheader'
  className?: string
}) {
  const sorted = order.column === column
  const ariaSort = sorted ? (order.descending ? 'descending' : 'ascending') : undefined
  const button = (
    <button
      type="button"
      className="sort-button"
      onClick={() => onSort({ column, descending: sorted && !order.descending })}
    >
      {label}
      <span className="sort-mark" aria-hidden="true">
        {sorted ? (order.descending ? '▼' : '▲') : ''}
      </span>
    </button>
  )
  return cell === 'th' ? (
    <th scope="col" className={className} aria-sort={ariaSort}>
      {button}
    </th>
  ) : (
    <div role="columnheader" className={className} aria-sort={ariaSort}>
      {button}
    </div>
  )
}
