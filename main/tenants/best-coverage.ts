import type { DatabaseSync } from 'node:sqlite'
import { OPEN_ENDED_COVERAGE as OPEN_ENDED } from '../../preload/rules'

// A device's coverage state comes from its latest-ending coverage that is not canceled (ties go to
// the record that sorts first by key, so the choice is the same on every machine). The table shows
// its description, or its kind where the file gave no description. A record without an end date
// counts only when it is an active subscription (Apple's ABE plans); otherwise it is incomplete.
export const REFRESH_BEST_COVERAGE = `
UPDATE devices SET (best_coverage_end, best_coverage_description) = (
  SELECT coalesce(end_date, '${OPEN_ENDED}'), coalesce(description, kind) FROM coverage
  WHERE coverage.serial = devices.serial AND is_canceled = 0
    AND (end_date IS NOT NULL OR (status = 'ACTIVE' AND payment_type = 'ABE_SUBSCRIPTION'))
  ORDER BY coalesce(end_date, '${OPEN_ENDED}') DESC, coverage_key
  LIMIT 1)
WHERE serial = ?`

/**
 * Recomputes the best-coverage columns of these devices after their coverage changed. Every writer
 * of coverage calls it in the same transaction (the CSV import once per piece of the file; a sync
 * once per batch), so the tiles and the table never show a stale coverage state.
 */
export function refreshBestCoverage(db: DatabaseSync, serials: Iterable<string>): void {
  const refresh = db.prepare(REFRESH_BEST_COVERAGE)
  for (const serial of serials) refresh.run(serial)
}
