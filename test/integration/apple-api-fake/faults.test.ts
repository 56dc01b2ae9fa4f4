// Scripted faults and limits: each must show the client exactly what the matching real failure
// shows Node's fetch (apple-api-sync.md §10), and be deterministic.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AuthError } from '../../../main/auth/token-client'
import { smallOrgFixture, type AppleApiFake, type FakeOrg } from '../../support/apple-api'
import type { TestClient } from '../../support/oauth-server'
import { rejectionOf } from '../../support/rejection'
import {
  apiGet,
  getJson,
  startWorld,
  tokenFor,
  type ErrorBody,
  type FakeWorld,
  type PagedBody,
} from './support'

let fake: AppleApiFake
let org: FakeOrg
let client: TestClient
let token: string

beforeAll(async () => {
  ;({ fake, org, client, token } = await startWorld(smallOrgFixture()))
})

afterEach(() => fake.faults.clear())

afterAll(() => fake.close())

const serialAt = (index: number): string => org.devices()[index]?.id ?? ''
const coveragePath = (index: number): string =>
  `/v1/orgDevices/${serialAt(index)}/appleCareCoverage`
const statusOf = async (path: string): Promise<number> => (await apiGet(fake, path, token)).status

/** What fetch rejected with: its `cause.code` (ECONNRESET…) or its name (TimeoutError). */
async function failureOf(pending: Promise<unknown>): Promise<string> {
  const error = await rejectionOf(pending, Error)
  const code = (error.cause as { code?: string } | undefined)?.code
  return code ?? error.name
}

/** A fake of its own, for a test that changes limits or reads peaks. */
async function withWorld(test: (world: FakeWorld) => Promise<void>): Promise<void> {
  const world = await startWorld(smallOrgFixture())
  try {
    await test(world)
  } finally {
    await world.fake.close()
  }
}

describe('status faults', () => {
  it('answers 429 with Retry-After in seconds once, then normally', async () => {
    fake.faults.add({ route: 'orgDevices', status: 429, retryAfter: 2 })
    const first = await getJson<ErrorBody>(fake, '/v1/orgDevices', token)
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('2')
    expect(first.body.errors[0]).toMatchObject({ status: '429', code: 'RATE_LIMIT_EXCEEDED' })
    expect(fake.requests.at(-1)).toMatchObject({ status: 429, fault: 'status 429' })
    expect(await statusOf('/v1/orgDevices')).toBe(200)
  })

  it('gives Retry-After as an HTTP-date at least two seconds ahead, or not at all', async () => {
    fake.faults.add({ route: 'orgDevices', status: 429, retryAfter: 'date' })
    fake.faults.add({ route: 'orgDevices', status: 429 })
    const dated = await apiGet(fake, '/v1/orgDevices', token)
    const header = dated.headers.get('retry-after') ?? ''
    expect(header).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
    expect(Date.parse(header)).toBeGreaterThanOrEqual(
      Date.parse(dated.headers.get('date') ?? '') + 2000,
    )
    const bare = await apiGet(fake, '/v1/orgDevices', token)
    expect(bare.status).toBe(429)
    expect(bare.headers.get('retry-after')).toBeNull()
  })

  it('answers a proxy’s HTML page when body is html', async () => {
    fake.faults.add({ route: 'coverage', status: 502, body: 'html' })
    const response = await apiGet(fake, coveragePath(0), token)
    expect(response.status).toBe(502)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await response.text()).toMatch(/^<html>/)
  })

  it('hits only the page it names, counted by cursor position', async () => {
    fake.faults.add({ route: 'orgDevices', page: 2, status: 500 })
    const first = await getJson<PagedBody>(fake, '/v1/orgDevices?limit=10', token)
    expect(first.status).toBe(200)
    const second = `/v1/orgDevices?limit=10&cursor=${first.body.meta.paging.nextCursor}`
    expect(await statusOf(second)).toBe(500)
    expect(await statusOf(second)).toBe(200)
  })

  it('hits only the serial it names, as many times as it says', async () => {
    fake.faults.add({ route: 'coverage', serial: serialAt(1), status: 503, times: 2 })
    expect(await statusOf(coveragePath(0))).toBe(200)
    expect(await statusOf(coveragePath(1))).toBe(503)
    expect(await statusOf(coveragePath(2))).toBe(200)
    expect(await statusOf(coveragePath(1))).toBe(503)
    expect(await statusOf(coveragePath(1))).toBe(200)
  })

  it('keeps answering with times Infinity until cleared, the oldest fault first', async () => {
    fake.faults.add({ route: 'orgDevice', status: 500, times: Infinity })
    fake.faults.add({ route: 'orgDevice', status: 429 })
    for (let i = 0; i < 3; i++) expect(await statusOf(`/v1/orgDevices/${serialAt(0)}`)).toBe(500)
    fake.faults.clear()
    expect(await statusOf(`/v1/orgDevices/${serialAt(0)}`)).toBe(200)
  })

  it('throttles the token endpoint', async () => {
    fake.faults.add({ route: 'token', status: 429, retryAfter: 1 })
    const before = fake.tokenRequests(client.clientId)
    const error = await rejectionOf(tokenFor(fake, client), AuthError)
    expect(error.code).toBe('rate_limited')
    expect(fake.requests.at(-1)).toMatchObject({ route: 'token', status: 429, fault: 'status 429' })
    await expect(tokenFor(fake, client)).resolves.toEqual(expect.any(String))
    expect(fake.tokenRequests(client.clientId)).toBe(before + 2)
  })

  it.each([['headers'], ['body']] as const)('resets the token endpoint (%s)', async (where) => {
    fake.faults.add({ route: 'token', reset: where })
    const error = await rejectionOf(tokenFor(fake, client), AuthError)
    expect(error.code).toBe('network')
    expect(fake.requests.at(-1)).toMatchObject({ route: 'token', fault: `reset ${where}` })
    await expect(tokenFor(fake, client)).resolves.toEqual(expect.any(String))
  })

  it('answers a stale-cursor 400 when asked to', async () => {
    fake.faults.add({ route: 'orgDevices', page: 2, status: 400 })
    const first = await getJson<PagedBody>(fake, '/v1/orgDevices?limit=10', token)
    expect(await statusOf(`/v1/orgDevices?cursor=${first.body.meta.paging.nextCursor}`)).toBe(400)
  })
})

describe('resets and delays', () => {
  it('resets before the headers: fetch rejects with ECONNRESET', async () => {
    fake.faults.add({ route: 'coverage', serial: serialAt(0), reset: 'headers' })
    expect(await failureOf(apiGet(fake, coveragePath(0), token))).toBe('ECONNRESET')
    expect(fake.requests.at(-1)).toMatchObject({ status: null, fault: 'reset headers' })
    expect(await statusOf(coveragePath(0))).toBe(200)
  })

  it('resets mid-body: fetch resolves 200 and reading the body rejects', async () => {
    fake.faults.add({ route: 'orgDevices', page: 1, reset: 'body' })
    const response = await apiGet(fake, '/v1/orgDevices?limit=20', token)
    expect(response.status).toBe(200)
    await expect(response.text()).rejects.toThrow(TypeError)
    expect(fake.requests.at(-1)).toMatchObject({ status: 200, fault: 'reset body' })
    expect(await statusOf('/v1/orgDevices?limit=20')).toBe(200)
  })

  it('delays a route past a client timeout', async () => {
    fake.faults.add({ route: 'coverage', delayMs: 2000 })
    const signal = AbortSignal.timeout(100)
    expect(await failureOf(apiGet(fake, coveragePath(0), token, { signal }))).toBe('TimeoutError')
    expect(fake.requests.at(-1)?.fault).toBe('delay 2000')
  })

  it('delays only the first attempt of each request with firstAttemptOnly', async () => {
    fake.faults.add({ route: 'coverage', delayMs: 2000, firstAttemptOnly: true, times: Infinity })
    for (const index of [0, 1]) {
      const signal = AbortSignal.timeout(100)
      expect(await failureOf(apiGet(fake, coveragePath(index), token, { signal }))).toBe(
        'TimeoutError',
      )
      expect(await statusOf(coveragePath(index))).toBe(200)
      expect(fake.requests.at(-1)?.fault).toBeUndefined()
    }
  })

  it('ends hanging requests when it closes', async () => {
    const world = await startWorld(smallOrgFixture())
    world.fake.faults.add({ route: 'orgDevices', delayMs: 60_000 })
    const pending = apiGet(world.fake, '/v1/orgDevices', world.token)
    await expect.poll(() => world.fake.requests.length).toBeGreaterThan(1)
    await world.fake.close()
    expect(await failureOf(pending)).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/)
  })
})

describe('limits', () => {
  it('resets a keep-alive connection on its request after the budget', () =>
    withWorld(async ({ fake: own, token: ownToken }) => {
      own.connectionBudget = 2
      const failures: string[] = []
      let answered = 0
      while (answered < 6) {
        const pending = apiGet(own, '/v1/orgDevices?limit=5', ownToken).then((r) => r.text())
        const outcome = await pending.then(
          () => 'answered',
          (error: unknown) => failureOf(Promise.reject(error)),
        )
        if (outcome === 'answered') answered += 1
        else failures.push(outcome)
      }
      // The token request counts too: every connection carries two answers, then is reset.
      const perConnection = new Map<number, number>()
      for (const entry of own.requests) {
        if (entry.status === null) continue
        perConnection.set(entry.connectionId, (perConnection.get(entry.connectionId) ?? 0) + 1)
      }
      expect(Math.max(...perConnection.values())).toBe(2)
      expect(perConnection.size).toBeGreaterThanOrEqual(4)
      expect(failures.length).toBeGreaterThan(0)
      expect(new Set(failures)).toEqual(new Set(['ECONNRESET']))
      const resets = own.requests.filter((entry) => entry.fault === 'connection budget')
      expect(resets).toHaveLength(failures.length)
      expect(resets.every((entry) => entry.status === null)).toBe(true)
    }))

  it('answers 429 past the concurrency ceiling and reports the peak', () =>
    withWorld(async ({ fake: own, token: ownToken }) => {
      own.latencyMs = 300
      own.concurrencyCeiling = { limit: 2, action: '429' }
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => apiGet(own, '/v1/orgDevices', ownToken)),
      )
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 429, 429, 429])
      // Each refused request ends at once, so at most one beyond the limit is ever in flight.
      expect(own.peakInFlight()).toBe(3)
    }))

  it('resets past the concurrency ceiling, and never below it', () =>
    withWorld(async ({ fake: own, token: ownToken }) => {
      own.latencyMs = 300
      own.concurrencyCeiling = { limit: 3, action: 'reset' }
      const within = await Promise.all(
        Array.from({ length: 3 }, () => apiGet(own, '/v1/orgDevices', ownToken)),
      )
      expect(within.map((answer) => answer.status)).toEqual([200, 200, 200])
      expect(own.peakInFlight()).toBe(3)
      const outcomes = await Promise.allSettled(
        Array.from({ length: 4 }, () => apiGet(own, '/v1/orgDevices', ownToken)),
      )
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(1)
      expect(own.requests.filter((entry) => entry.fault === 'ceiling')).toHaveLength(1)
    }))

  it('answers 429 with Retry-After once the org’s token bucket is empty', () =>
    withWorld(async ({ fake: own, token: ownToken }) => {
      own.rateLimit = { perSecond: 0.5, burst: 2 }
      const statuses: number[] = []
      let retryAfter: string | null = null
      for (let i = 0; i < 3; i++) {
        const answer = await apiGet(own, '/v1/orgDevices', ownToken)
        statuses.push(answer.status)
        retryAfter = answer.headers.get('retry-after')
      }
      expect(statuses).toEqual([200, 200, 429])
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
      expect(own.requests.at(-1)?.fault).toBe('rate limit')
    }))
})

describe('the request log', () => {
  it('calls onRequest as a request arrives, so a test can change the world at an exact point', async () => {
    let coverageCalls = 0
    fake.onRequest = (entry) => {
      if (entry.route === 'coverage' && ++coverageCalls === 2) fake.expireTokens()
    }
    try {
      expect(await statusOf(coveragePath(0))).toBe(200)
      expect(await statusOf(coveragePath(1))).toBe(401)
    } finally {
      fake.onRequest = undefined
      token = await tokenFor(fake, client)
    }
  })

  it('holds every answer back by latencyMs', () =>
    withWorld(async ({ fake: own, token: ownToken }) => {
      own.latencyMs = 50
      await apiGet(own, '/v1/orgDevices', ownToken)
      const entry = own.requests.at(-1)
      expect((entry?.endedAt ?? 0) - (entry?.startedAt ?? 0)).toBeGreaterThanOrEqual(50)
    }))

  it('records who asked what, on which connection, when, and the answer', async () => {
    await apiGet(fake, '/v1/orgDevices?limit=3&fields[orgDevices]=serialNumber', token)
    const entry = fake.requests.at(-1)
    expect(entry).toEqual({
      method: 'GET',
      route: 'orgDevices',
      path: '/v1/orgDevices',
      query: { limit: '3', 'fields[orgDevices]': 'serialNumber' },
      orgId: org.id,
      clientId: client.clientId,
      tokenId: expect.stringMatching(/^t\d+$/),
      connectionId: expect.any(Number),
      startedAt: expect.any(Number),
      endedAt: expect.any(Number),
      status: 200,
    })
    expect(entry?.endedAt).toBeGreaterThanOrEqual(entry?.startedAt ?? Infinity)
  })
})
