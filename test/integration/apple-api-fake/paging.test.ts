// Paging as Apple does it: a stable order, cursor-only `links.next`, `nextCursor` only while more
// pages follow, time-keyed opaque cursors that go stale, `fields` honoured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  PAGING_ORG_DEVICES,
  PAGING_ORG_LARGE_SERVER_DEVICES,
  pagingOrgFixture,
  type AppleApiFake,
  type FakeOrg,
} from '../../support/apple-api'
import { addClient, getJson, startWorld, tokenFor, type ErrorBody, type PagedBody } from './support'

let fake: AppleApiFake
let org: FakeOrg
let token: string

beforeAll(async () => {
  ;({ fake, org, token } = await startWorld(pagingOrgFixture()))
})

afterAll(() => fake.close())

/** Walks a paged route to its end, building each request from the base as the sync must. */
async function walk(path: string, query: string): Promise<PagedBody[]> {
  const pages: PagedBody[] = []
  let cursor: string | undefined
  do {
    const suffix = cursor ? `&cursor=${cursor}` : ''
    const { status, body } = await getJson<PagedBody>(fake, `${path}?${query}${suffix}`, token)
    expect(status).toBe(200)
    pages.push(body)
    cursor = body.meta.paging.nextCursor
  } while (cursor)
  return pages
}

describe('GET /v1/orgDevices paging', () => {
  it('serves 2,345 devices in 3 pages of at most 1000, each serial once, in list order', async () => {
    const pages = await walk('/v1/orgDevices', 'limit=1000')
    expect(pages.map((page) => page.data.length)).toEqual([1000, 1000, 345])
    const serials = pages.flatMap((page) => page.data.map((device) => device.id))
    expect(new Set(serials).size).toBe(PAGING_ORG_DEVICES)
    expect(serials).toEqual(org.devices().map((device) => device.id))
    expect(pages.map((page) => page.meta.paging.limit)).toEqual([1000, 1000, 1000])
  })

  it('defaults to 100 a page: 24 pages', async () => {
    const pages = await walk('/v1/orgDevices', '')
    expect(pages).toHaveLength(24)
    expect(pages[0]?.data).toHaveLength(100)
    expect(pages.at(-1)?.data).toHaveLength(45)
  })

  it('puts only the cursor in links.next, on the base URL, and nothing on the last page', async () => {
    const [first, , last] = await walk(
      '/v1/orgDevices',
      'limit=1000&fields[orgDevices]=serialNumber',
    )
    const next = new URL(first?.links.next ?? '')
    expect(`${next.origin}${next.pathname}`).toBe(`${fake.apiUrl}/v1/orgDevices`)
    expect([...next.searchParams.keys()]).toEqual(['cursor'])
    expect(next.searchParams.get('cursor')).toBe(first?.meta.paging.nextCursor)
    expect(first?.links.self).toBe(
      `${fake.apiUrl}/v1/orgDevices?limit=1000&fields[orgDevices]=serialNumber`,
    )
    expect(last?.links.next).toBeUndefined()
    expect(last?.meta.paging).toEqual({ limit: 1000 })
  })

  it('makes opaque, time-keyed cursors shaped like Apple’s', async () => {
    const { body } = await getJson<PagedBody>(fake, '/v1/orgDevices?limit=10', token)
    const cursor = body.meta.paging.nextCursor ?? ''
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    const fields = Buffer.from(cursor, 'base64url').toString('utf8').split(':')
    expect(fields).toHaveLength(7)
    expect(fields.slice(4, 6)).toEqual(['true', 'false'])
    expect(Number(fields[6])).toBeGreaterThan(1_700_000_000_000)
  })

  it('keeps the walk stable when a device on an earlier page is released', async () => {
    const changing = fake.addOrg(pagingOrgFixture())
    const own = await tokenFor(fake, addClient(changing))
    const { body: first } = await getJson<PagedBody>(fake, '/v1/orgDevices?limit=1000', own)
    changing.release(first.data[10]?.id ?? '')
    const cursor = first.meta.paging.nextCursor ?? ''
    const path = `/v1/orgDevices?limit=1000&cursor=${cursor}`
    const { body: second } = await getJson<PagedBody>(fake, path, own)
    // Time-keyed, not an offset: the next page starts right after the last device served.
    expect(second.data[0]?.id).toBe(changing.devices()[999]?.id)
  })

  it('answers 400 to a cursor issued before invalidateCursors, and to a forged one', async () => {
    const { body } = await getJson<PagedBody>(fake, '/v1/orgDevices?limit=1000', token)
    fake.invalidateCursors()
    const stale = await getJson<ErrorBody>(
      fake,
      `/v1/orgDevices?cursor=${body.meta.paging.nextCursor}`,
      token,
    )
    expect(stale.status).toBe(400)
    expect(stale.body.errors[0]?.source).toEqual({ parameter: 'cursor' })
    const forged = Buffer.from('0:1:2:3').toString('base64url')
    expect((await getJson(fake, `/v1/orgDevices?cursor=${forged}`, token)).status).toBe(400)
    // A walk started afresh works.
    expect((await walk('/v1/orgDevices', 'limit=1000')).length).toBe(3)
  })

  it('adds meta.paging.total only when pagingTotal is on', async () => {
    fake.pagingTotal = true
    try {
      const { body } = await getJson<PagedBody>(fake, '/v1/orgDevices?limit=1', token)
      expect(body.meta.paging.total).toBe(org.devices().length)
    } finally {
      fake.pagingTotal = false
    }
  })
})

describe('fields[orgDevices]', () => {
  it('sends every attribute and no relationships without fields', async () => {
    const { body } = await getJson<PagedBody>(fake, '/v1/orgDevices?limit=5', token)
    const device = body.data[0]
    expect(device?.relationships).toBeUndefined()
    expect(device?.attributes).toMatchObject({
      serialNumber: device?.id,
      releasedFromOrgDateTime: null,
      productFamily: expect.any(String),
      addedToOrgDateTime: expect.stringMatching(/\.\d{3}Z$/),
    })
  })

  it('sends only the named attributes, plus attributes the list cannot name', async () => {
    const path = '/v1/orgDevices?limit=5&fields[orgDevices]=serialNumber,productFamily'
    const { body } = await getJson<PagedBody>(fake, path, token)
    expect(Object.keys(body.data[0]?.attributes ?? {}).sort()).toEqual([
      'productFamily',
      'serialNumber',
    ])
    // Device 2 carries an attribute newer than any field list, device 1 Apple's other spelling.
    expect(body.data[2]?.attributes?.futureField).toBeDefined()
    expect(body.data[1]?.attributes?.purchaseSourceUid).toBeDefined()
  })

  it('adds a relationship only when its name is requested', async () => {
    const path = '/v1/orgDevices?limit=1&fields[orgDevices]=serialNumber,assignedServer'
    const { body } = await getJson<PagedBody>(fake, path, token)
    const serial = body.data[0]?.id
    expect(body.data[0]?.relationships).toEqual({
      assignedServer: {
        links: {
          self: `${fake.apiUrl}/v1/orgDevices/${serial}/relationships/assignedServer`,
          related: `${fake.apiUrl}/v1/orgDevices/${serial}/assignedServer`,
        },
      },
    })
  })
})

describe('GET /v1/mdmServers/{id}/relationships/devices', () => {
  it('pages a server of more than 1000 devices to the end', async () => {
    const { body: servers } = await getJson<PagedBody>(fake, '/v1/mdmServers', token)
    const large = servers.data[0]?.id ?? ''
    expect(servers.data[0]?.attributes?.deviceCount).toBe(PAGING_ORG_LARGE_SERVER_DEVICES)
    const pages = await walk(`/v1/mdmServers/${large}/relationships/devices`, 'limit=1000')
    expect(pages.map((page) => page.data.length)).toEqual([1000, 200])
    expect(pages[0]?.data[0]).toEqual({ type: 'orgDevices', id: expect.any(String) })
    expect(pages[0]?.links.related).toBe(`${fake.apiUrl}/v1/mdmServers/${large}/devices`)
    expect(new Set(pages.flatMap((page) => page.data.map((d) => d.id))).size).toBe(
      PAGING_ORG_LARGE_SERVER_DEVICES,
    )
  })

  it('puts Apple’s host typo in links.* when linkageHostTypo is on', async () => {
    const { body: servers } = await getJson<PagedBody>(fake, '/v1/mdmServers', token)
    fake.linkageHostTypo = true
    try {
      const path = `/v1/mdmServers/${servers.data[0]?.id}/relationships/devices?limit=1000`
      const { body } = await getJson<PagedBody>(fake, path, token)
      for (const link of [body.links.self, body.links.next, body.links.related]) {
        expect(link).toMatch(/^https:\/\/api-business\.apple\/v1\/mdmServers\//)
      }
      expect(body.meta.paging.nextCursor).toEqual(expect.any(String))
    } finally {
      fake.linkageHostTypo = false
    }
  })
})
