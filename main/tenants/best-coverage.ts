import { OPEN_ENDED_COVERAGE as OPEN_ENDED } from '../../preload/rules'

// A device's coverage state comes from its latest-ending coverage that is not canceled (ties go to
// the record that sorts first by key, so the choice is the same on every machine). The table shows
// its description, or its kind where the file gave no description. A record without an end date
// counts only when it is an active subscription (Apple's ABE plans); otherwise it is incomplete.
const UPDATE_BEST_COVERAGE = `
UPDATE devices SET (best_coverage_end, best_coverage_description) = (
  SELECT coalesce(end_date, '${OPEN_ENDED}'), coalesce(description, kind) FROM coverage
  WHERE coverage.serial = devices.serial AND is_canceled = 0
    AND (end_date IS NOT NULL OR (status = 'ACTIVE' AND payment_type = 'ABE_SUBSCRIPTION'))
  ORDER BY coalesce(end_date, '${OPEN_ENDED}') DESC, coverage_key
  LIMIT 1)`

/**
 * Recomputes the best-coverage columns of one device (its serial the parameter) after its coverage
 * changed. Every writer of coverage runs it, or the list form, in the same transaction, so the
 * tiles and the table never show a stale coverage state.
 */
export const REFRESH_BEST_COVERAGE = `${UPDATE_BEST_COVERAGE} WHERE serial = ?`

/** REFRESH_BEST_COVERAGE for many devices in one statement: the parameter is a JSON array of serials. */
export const REFRESH_BEST_COVERAGE_OF_LIST = `${UPDATE_BEST_COVERAGE}
WHERE serial IN (SELECT value FROM json_each(?))`
