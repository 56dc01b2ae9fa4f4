// The checks Apple makes before it answers: a valid bearer token of the org's scope, an Accept
// the API can meet, GET only, `limit` and `fields` in range. Each refusal must really happen, or
// the sync's tests could pass against a fake that accepts anything.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  smallOrgFixture,
  startAppleApiFake,
  type AppleApiFake,
  type FakeOrg,
} from '../../support/apple-api'
import type { TestClient } from '../../support/oauth-server'
import {
  addClient,
  apiGet,
  exchange,
  getJson,
  startWorld,
  tokenFor,
  type ErrorBody,
  type PagedBody,
} from './support'

let fake: AppleApiFake
let org: FakeOrg
let client: TestClient
let token: string

beforeAll(async () => {
  ;({ fake, org, client, token } = await startWorld(smallOrgFixture()))
})

afterAll(() => fake.close())

describe('authentication', () => {
  it('answers a request with an issued token', async () => {
    const { status, body } = await getJson<PagedBody>(fake, '/v1/orgDevices', token)
    expect(status).toBe(200)
    expect(body.data).toHaveLength(25)
  })

  it.each([
    ['no Authorization header', undefined],
    ['a token it never issued', 'Bearer not-a-token-it-issued'],
    ['a Basic header', 'Basic dXNlcjpwYXNz'],
  ])('answers 401 to %s', async (_, authorization) => {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (authorization) headers.authorization = authorization
    const response = await fetch(`${fake.apiUrl}/v1/orgDevices`, { headers })
    expect(response.status).toBe(401)
    const body = (await response.json()) as ErrorBody
    expect(body.errors[0]).toMatchObject({ status: '401', code: 'UNAUTHORIZED' })
  })

  it('answers 401 once every token has expired, and serves a new token', async () => {
    const own = await tokenFor(fake, client)
    fake.expireTokens()
    expect((await apiGet(fake, '/v1/orgDevices', own)).status).toBe(401)
    token = await tokenFor(fake, client)
    expect((await apiGet(fake, '/v1/orgDevices', token)).status).toBe(200)
  })

  it('expires a token after tokenTtlSeconds', async () => {
    const shortLived = await startAppleApiFake({ tokenTtlSeconds: 60 })
    try {
      const issued = await exchange(shortLived, addClient(shortLived.addOrg(smallOrgFixture())))
      expect(issued.expiresIn).toBe(60)
      expect((await apiGet(shortLived, '/v1/orgDevices', issued.accessToken)).status).toBe(200)
      // Only Date is faked: the fake reads the clock, the sockets keep their real timers.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 })
      expect((await apiGet(shortLived, '/v1/orgDevices', issued.accessToken)).status).toBe(401)
    } finally {
      vi.useRealTimers()
      await shortLived.close()
    }
  })

  it('refuses a revoked client at the token endpoint and its live tokens at the API', async () => {
    const other = addClient(org)
    const own = await tokenFor(fake, other)
    fake.revoke(other.clientId)
    expect((await apiGet(fake, '/v1/orgDevices', own)).status).toBe(401)
    await expect(tokenFor(fake, other)).rejects.toMatchObject({ code: 'invalid_client' })
    // The org's other API account is untouched.
    expect((await apiGet(fake, '/v1/orgDevices', token)).status).toBe(200)
  })

  it('answers 401 to a business token on a school org', async () => {
    const school = fake.addOrg(smallOrgFixture('school'))
    const misplaced = addClient(school, 'business')
    const own = await tokenFor(fake, misplaced)
    expect((await apiGet(fake, '/v1/orgDevices', own)).status).toBe(401)
    const proper = await tokenFor(fake, addClient(school))
    expect((await apiGet(fake, '/v1/orgDevices', proper)).status).toBe(200)
  })

  it('serves each token its own org', async () => {
    const second = fake.addOrg({
      scope: 'business',
      devices: smallOrgFixture('business', 7).devices.slice(0, 3),
    })
    const own = await tokenFor(fake, addClient(second))
    const { body } = await getJson<PagedBody>(fake, '/v1/orgDevices', own)
    expect(body.data.map((device) => device.id)).toEqual(
      second.devices().map((device) => device.id),
    )
    expect(fake.requests.at(-1)).toMatchObject({
      orgId: second.id,
      route: 'orgDevices',
      status: 200,
    })
  })

  it('counts token requests per client, refused ones included', async () => {
    const other = addClient(org)
    const before = fake.tokenRequests()
    await tokenFor(fake, other)
    await tokenFor(fake, other)
    fake.revoke(other.clientId)
    await expect(tokenFor(fake, other)).rejects.toThrow()
    expect(fake.tokenRequests(other.clientId)).toBe(3)
    expect(fake.tokenRequests()).toBe(before + 3)
  })

  it('keeps the token checks of the OAuth fake', async () => {
    const response = await fetch(fake.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: 'only.two',
        scope: 'business.api',
      }),
    })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'assertion is not a compact JWS',
    })
  })

  it('never logs a token', () => {
    expect(JSON.stringify(fake.requests)).not.toContain(token)
  })
})

describe('requests Apple refuses', () => {
  it.each([['text/html'], ['*/*'], ['']])(
    'answers 406 to Accept %j and records it',
    async (accept) => {
      const before = fake.unexpected.length
      const response = await apiGet(fake, '/v1/orgDevices', token, { headers: { accept } })
      expect(response.status).toBe(406)
      expect(fake.unexpected.length).toBe(before + 1)
    },
  )

  it.each([['POST'], ['PATCH'], ['DELETE']])('answers 405 to %s and records it', async (method) => {
    const before = fake.unexpected.length
    const response = await apiGet(fake, '/v1/orgDevices', token, {
      method,
      body: method === 'DELETE' ? undefined : '{}',
    })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET')
    expect(fake.unexpected.slice(before)).toEqual([`${method} /v1/orgDevices: not a GET`])
  })

  it('answers 404 to an unknown route and records it', async () => {
    const before = fake.unexpected.length
    expect((await apiGet(fake, '/v1/orgDeviceActivities', token)).status).toBe(404)
    expect(fake.unexpected.slice(before)).toEqual(['GET /v1/orgDeviceActivities: no such route'])
  })

  it.each([['0'], ['1001'], ['-1'], ['ten'], ['1.5'], ['']])(
    'answers 400 to limit=%j',
    async (limit) => {
      const { status, body } = await getJson<ErrorBody>(
        fake,
        `/v1/orgDevices?limit=${limit}`,
        token,
      )
      expect(status).toBe(400)
      expect(body.errors[0]?.source).toEqual({ parameter: 'limit' })
    },
  )

  it.each([['1'], ['1000']])('accepts limit=%s', async (limit) => {
    expect((await apiGet(fake, `/v1/orgDevices?limit=${limit}`, token)).status).toBe(200)
  })

  it('answers 400 to an unknown fields name while strictFields is on, else ignores it', async () => {
    const path = '/v1/orgDevices?fields[orgDevices]=serialNumber,isMdmMigrationCapable'
    const strict = await getJson<ErrorBody>(fake, path, token)
    expect(strict.status).toBe(400)
    expect(strict.body.errors[0]?.source).toEqual({ parameter: 'fields[orgDevices]' })
    fake.strictFields = false
    try {
      expect((await apiGet(fake, path, token)).status).toBe(200)
    } finally {
      fake.strictFields = true
    }
  })

  it('answers Apple error bodies with every field', async () => {
    const { body } = await getJson<ErrorBody>(fake, '/v1/orgDevices?limit=0', token)
    expect(body.errors[0]).toEqual({
      id: expect.any(String),
      status: '400',
      code: 'PARAMETER_ERROR.INVALID',
      title: expect.any(String),
      detail: expect.any(String),
      source: { parameter: 'limit' },
    })
  })
})
