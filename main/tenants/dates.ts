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
  if (isStoredForm(value)) return value
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

/**
 * Whether `value` is already in a stored form (`2026-09-15` or `2026-09-15T08:30:00.000Z`), checked
 * character by character: files hold millions of dates, and most are written this way (our own
 * export, Apple's API). Anything else takes the general path above.
 */
function isStoredForm(value: string): boolean {
  if (value.length !== 10 && value.length !== 24) return false
  if (value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH) return false
  const year = digitsAt(value, 0, 4)
  const month = digitsAt(value, 5, 2)
  const day = digitsAt(value, 8, 2)
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false
  if (value.length === 10) return true
  return (
    value.charCodeAt(10) === T &&
    value.charCodeAt(13) === COLON &&
    value.charCodeAt(16) === COLON &&
    value.charCodeAt(19) === DOT &&
    value.charCodeAt(23) === Z &&
    digitsAt(value, 11, 2) <= 23 &&
    digitsAt(value, 14, 2) <= 59 &&
    digitsAt(value, 17, 2) <= 59 &&
    digitsAt(value, 20, 3) >= 0
  )
}

const DASH = 0x2d
const COLON = 0x3a
const DOT = 0x2e
const T = 0x54
const Z = 0x5a
const ZERO = 0x30

/** The number the `count` digits at `from` spell, or -1 if they are not all digits. */
function digitsAt(value: string, from: number, count: number): number {
  let number = 0
  for (let i = from; i < from + count; i++) {
    const digit = value.charCodeAt(i) - ZERO
    if (digit < 0 || digit > 9) return -1
    number = number * 10 + digit
  }
  return number
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0)
}

function calendarDate(year: string, month: string, day: string): boolean {
  const [y, m, d] = [Number(year), Number(month), Number(day)]
  return y >= 1 && d >= 1 && d <= daysInMonth(y, m)
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
