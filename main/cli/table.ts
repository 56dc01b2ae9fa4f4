// Plain-text output helpers for the CLI.

/** First and last 8 hex digits: enough to tell keys apart at a glance. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.length <= 16
    ? fingerprint
    : `${fingerprint.slice(0, 8)}…${fingerprint.slice(-8)}`
}

export function formatTable(header: string[], rows: string[][]): string {
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
