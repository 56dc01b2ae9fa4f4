import { describe, expect, it } from 'vitest'
import { backoffMs, DEFAULT_BACKOFF, retryAfterMs } from '../../../main/net/backoff'

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-01T10:00:00Z')

  it('reads seconds and HTTP-dates, clamped to 1–60 s', () => {
    expect(retryAfterMs('2', DEFAULT_BACKOFF, now)).toBe(2000)
    expect(retryAfterMs('0', DEFAULT_BACKOFF, now)).toBe(1000)
    expect(retryAfterMs('3600', DEFAULT_BACKOFF, now)).toBe(60_000)
    expect(retryAfterMs('Tue, 01 Dec 2026 10:00:05 GMT', DEFAULT_BACKOFF, now)).toBe(5000)
    expect(retryAfterMs('Tue, 01 Dec 2026 09:00:00 GMT', DEFAULT_BACKOFF, now)).toBe(1000)
  })

  it('ignores a header that is absent or unreadable', () => {
    expect(retryAfterMs(null, DEFAULT_BACKOFF, now)).toBeUndefined()
    expect(retryAfterMs('soon', DEFAULT_BACKOFF, now)).toBeUndefined()
    expect(retryAfterMs('-5', DEFAULT_BACKOFF, now)).toBeUndefined()
  })
})

describe('backoffMs', () => {
  it('doubles per attempt, half fixed and half jitter, up to the cap', () => {
    expect(backoffMs(0, DEFAULT_BACKOFF, () => 0)).toBe(500)
    expect(backoffMs(0, DEFAULT_BACKOFF, () => 1)).toBe(1000)
    expect(backoffMs(3, DEFAULT_BACKOFF, () => 0)).toBe(4000)
    expect(backoffMs(20, DEFAULT_BACKOFF, () => 1)).toBe(30_000)
    expect(backoffMs(20, DEFAULT_BACKOFF, () => 0)).toBe(15_000)
  })
})
