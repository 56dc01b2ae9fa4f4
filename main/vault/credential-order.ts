// The order credentials are listed in: the vault's, and the CLI's `list`, which reads the state
// file alone (no keychain, audit log or tenant databases to open for a read).
import type { Credential } from '../../preload/model'

/** Oldest first. */
export function oldestFirst(credentials: Record<string, Credential>): Credential[] {
  // createdAt is always toISOString()'s one format, which sorts by time as plain text. A locale's
  // collation (localeCompare) orders it the same, but its first use starts ICU: some 15 ms, a
  // tenth of `axm-credentials list`.
  return Object.values(credentials).sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
  )
}
