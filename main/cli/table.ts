// Plain-text output helpers for the CLI.
import { terminalSafe } from './terminal-text'

// Fingerprints read the same in the CLI as in the app.

/** Cells are printed terminal-safe, each on one line: a name cannot forge a row. */
export function formatTable(header: string[], cellRows: string[][]): string {
  const rows = cellRows.map((row) => row.map((cell) => terminalSafe(cell)))
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}
