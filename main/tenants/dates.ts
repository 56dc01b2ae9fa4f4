// Dates in the tenant database are ISO-8601 text, which sorts in time order as plain strings, so
// range filters run on an index. A calendar date (`2026-09-15`) is kept as written; a timestamp is
// normalized to UTC (`2026-09-15T00:00:00.000Z`), so the same instant is always the same text and a
// re-import or an export → import round trip gives back identical values.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?$/

const DAY_MS = 86_400_000

/** The stored form of an ISO-8601 date or timestamp, or undefined if `value` is not one. */
export function normalizeIsoDate(value: string): string | undefined {
  const date = DATE.exec(value)
  if (date) {
    const [, year = '', month = '', day = ''] = date
    return calendarDate(year, month, day) ? value : undefined
  }
  const ts = TIMESTAMP.exec(value)
  if (!ts) return undefined
  const [, year = '', month = '', day = '', hour = '', minute = '', second = '00'] = ts
  if (!calendarDate(year, month, day) || +hour > 23 || +minute > 59 || +second > 59)
    return undefined
  const millis = (ts[7] ?? '').padEnd(3, '0').slice(0, 3)
  const utc = `${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}Z`
  // A timestamp without a zone is read as UTC: the files we import are written in UTC.
  const zone = ts[8]
  if (zone === undefined || zone.toUpperCase() === 'Z') return utc
  const shifted = new Date(Date.parse(utc) - zoneOffsetMinutes(zone) * 60_000).toISOString()
  return /^\d{4}-/.test(shifted) ? shifted : undefined
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function calendarDate(year: string, month: string, day: string): boolean {
  const [y, m, d] = [Number(year), Number(month), Number(day)]
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  const days = m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] ?? 0)
  return y >= 1 && d >= 1 && d <= days
}

function zoneOffsetMinutes(zone: string): number {
  const digits = zone.slice(1).replace(':', '')
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))
  return zone.startsWith('-') ? -minutes : minutes
}

/**
 * The bounds that sort a coverage end date into a state, by UTC calendar day: an end date is the
 * last day covered. `end < today` is expired; `today ≤ end < soonEnd` ends within 90 days;
 * `end ≥ soonEnd` is active. Because stored dates sort as text, a timestamp on the last day
 * (`2026-09-15T…`) falls on the same side of these bounds as the bare date `2026-09-15`.
 */
export interface CoverageWindow {
  today: string
  soonEnd: string
}

export const EXPIRING_SOON_DAYS = 90

export function coverageWindow(now: Date): CoverageWindow {
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
  return {
    today: day(now.getTime()),
    soonEnd: day(now.getTime() + (EXPIRING_SOON_DAYS + 1) * DAY_MS),
  }
}
