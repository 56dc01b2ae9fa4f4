import { describe, expect, it } from 'vitest'
import { coverageWindow, normalizeIsoDate } from '../../../main/tenants/dates'

describe('normalizeIsoDate', () => {
  it('keeps calendar dates as written', () => {
    expect(normalizeIsoDate('2026-09-15')).toBe('2026-09-15')
    expect(normalizeIsoDate('2024-02-29')).toBe('2024-02-29')
  })

  it('normalizes timestamps to UTC with milliseconds', () => {
    expect(normalizeIsoDate('2026-09-15T00:00:00Z')).toBe('2026-09-15T00:00:00.000Z')
    expect(normalizeIsoDate('2026-09-15T01:30:00+02:00')).toBe('2026-09-14T23:30:00.000Z')
    expect(normalizeIsoDate('2026-09-15T01:30:00-0530')).toBe('2026-09-15T07:00:00.000Z')
    expect(normalizeIsoDate('2026-09-15 08:05')).toBe('2026-09-15T08:05:00.000Z')
    expect(normalizeIsoDate('2026-09-15T08:05:06.57Z')).toBe('2026-09-15T08:05:06.570Z')
    expect(normalizeIsoDate('2026-09-15T08:05:06.123456Z')).toBe('2026-09-15T08:05:06.123Z')
  })

  it('takes stored forms as they are, and still checks their calendar and clock', () => {
    expect(normalizeIsoDate('2026-09-15T08:30:00.000Z')).toBe('2026-09-15T08:30:00.000Z')
    expect(normalizeIsoDate('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z')
    for (const value of [
      '2026-02-29T08:30:00.000Z',
      '2026-09-31T08:30:00.000Z',
      '2026-09-15T24:00:00.000Z',
      '2026-09-15T08:60:00.000Z',
      '2026-09-15T08:30:60.000Z',
      '2026-09-15T08:30:00.0a0Z',
      '2026-09-15X08:30:00.000Z',
      '0000-09-15T08:30:00.000Z',
      '2026-00-15',
      '2026-09-00',
      '2026/09/15',
      '20a6-09-15',
    ]) {
      expect(normalizeIsoDate(value), value).toBeUndefined()
    }
  })

  it('gives back its own output unchanged', () => {
    const stored = normalizeIsoDate('2026-09-15T01:30:00+02:00') ?? ''
    expect(normalizeIsoDate(stored)).toBe(stored)
  })

  it.each([
    '09/15/2026',
    '15.09.2026',
    '2026-02-29',
    '2026-13-01',
    '2026-04-31',
    '2026-09-15T24:00:00Z',
    '2026-9-15',
    'soon',
    '0000-01-01',
  ])('refuses %s', (value) => {
    expect(normalizeIsoDate(value)).toBeUndefined()
  })
})

describe('coverageWindow', () => {
  it('bounds expiring-soon coverage to the next 90 days, by UTC day', () => {
    expect(coverageWindow(new Date('2025-06-01T23:59:00Z'))).toEqual({
      today: '2025-06-01',
      soonEnd: '2025-08-31',
    })
  })
})
