// The org's inventory as the routes serve it: single reads of active, released and purged
// devices, audit events of releases, each coverage mode, MDM servers and assignments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  makeFakeDevices,
  smallOrgFixture,
  type AppleApiFake,
  type FakeDevice,
  type FakeOrg,
} from '../../support/apple-api'
import { getJson, startWorld, type ErrorBody, type PagedBody } from './support'

let fake: AppleApiFake
let org: FakeOrg
let token: string
let devices: FakeDevice[]

beforeAll(async () => {
  ;({ fake, org, token } = await startWorld(smallOrgFixture()))
  devices = org.devices()
})

afterAll(() => fake.close())

interface OneBody {
  data: { type: string; id: string; attributes: Record<string, unknown> }
  links: { self: string; related?: string }
}

const serialAt = (index: number): string => devices[index]?.id ?? ''
const listed = async (): Promise<string[]> =>
  (await getJson<PagedBody>(fake, '/v1/orgDevices?limit=1000', token)).body.data.map((d) => d.id)

describe('the device list and the single read', () => {
  it('reads an active device with releasedFromOrgDateTime null', async () => {
    const serial = serialAt(0)
    const { status, body } = await getJson<OneBody>(fake, `/v1/orgDevices/${serial}`, token)
    expect(status).toBe(200)
    expect(body.data).toMatchObject({ type: 'orgDevices', id: serial })
    expect(body.data.attributes).toMatchObject({
      serialNumber: serial,
      releasedFromOrgDateTime: null,
    })
    expect(body.links.self).toBe(`${fake.apiUrl}/v1/orgDevices/${serial}`)
  })

  it('takes a released device off the list; its single read tells the release time', async () => {
    const serial = serialAt(3)
    const at = new Date('2026-06-01T15:33:54.164Z')
    org.release(serial, at)
    expect(await listed()).not.toContain(serial)
    expect(org.devices().map((device) => device.id)).not.toContain(serial)
    const { status, body } = await getJson<OneBody>(fake, `/v1/orgDevices/${serial}`, token)
    expect(status).toBe(200)
    expect(body.data.attributes.releasedFromOrgDateTime).toBe('2026-06-01T15:33:54.164Z')
  })

  it('answers 404 to a purged device and to one it never had', async () => {
    const serial = serialAt(4)
    org.purge(serial)
    expect(await listed()).not.toContain(serial)
    expect((await getJson(fake, `/v1/orgDevices/${serial}`, token)).status).toBe(404)
    expect((await getJson(fake, `/v1/orgDevices/${serial}/appleCareCoverage`, token)).status).toBe(
      404,
    )
    const never = await getJson<ErrorBody>(fake, '/v1/orgDevices/NOSUCHSERIAL', token)
    expect(never.status).toBe(404)
    expect(never.body.errors[0]).toMatchObject({ status: '404', code: 'NOT_FOUND' })
  })

  it('lists an added device last, and one that comes back after its release', async () => {
    const [added] = makeFakeDevices(1, 99) as [FakeDevice]
    org.add(added)
    const returning = devices[5] as FakeDevice
    org.release(returning.id)
    org.add(returning)
    const serials = await listed()
    expect(serials.slice(-2)).toEqual([added.id, returning.id])
    const { body } = await getJson<OneBody>(fake, `/v1/orgDevices/${returning.id}`, token)
    expect(body.data.attributes.releasedFromOrgDateTime).toBeNull()
  })

  it('moves updatedDateTime forward on touch', async () => {
    const serial = serialAt(6)
    const before = (await getJson<OneBody>(fake, `/v1/orgDevices/${serial}`, token)).body
    org.touch(serial)
    org.touch(serial)
    const after = (await getJson<OneBody>(fake, `/v1/orgDevices/${serial}`, token)).body
    const updated = (body: OneBody) => Date.parse(String(body.data.attributes.updatedDateTime))
    expect(updated(after)).toBeGreaterThan(updated(before))
    expect(String(after.data.attributes.updatedDateTime)).toMatch(/\.\d{3}Z$/)
  })

  it('refuses to release a device that is not on the list', () => {
    expect(() => org.release(serialAt(3))).toThrow(/not on/)
    expect(() => org.touch('NOSUCHSERIAL')).toThrow(/no device NOSUCHSERIAL/)
  })
})

describe('GET /v1/auditEvents', () => {
  const range =
    'filter[startTimestamp]=2026-01-01T00:00:00Z&filter[endTimestamp]=2026-12-31T23:59:59Z'

  it('answers 400 PARAMETER_ERROR.REQUIRED without a start or an end', async () => {
    for (const query of ['', 'filter[startTimestamp]=2026-01-01T00:00:00Z']) {
      const { status, body } = await getJson<ErrorBody>(fake, `/v1/auditEvents?${query}`, token)
      expect(status).toBe(400)
      expect(body.errors[0]?.code).toBe('PARAMETER_ERROR.REQUIRED')
    }
  })

  it('has a DEVICE_REMOVED_FROM_ORG event for a release in the range', async () => {
    org.release(serialAt(15), new Date('2026-03-04T05:06:07.089Z'))
    const path = `/v1/auditEvents?${range}&filter[type]=DEVICE_REMOVED_FROM_ORG`
    const { status, body } = await getJson<PagedBody>(fake, path, token)
    expect(status).toBe(200)
    const event = body.data.find((e) => e.attributes?.eventDateTime === '2026-03-04T05:06:07.089Z')
    expect(event?.attributes).toMatchObject({
      type: 'DEVICE_REMOVED_FROM_ORG',
      eventDateTime: '2026-03-04T05:06:07.089Z',
      eventDataDeviceRemovedFromOrg: { serialNumber: serialAt(15), releaseEntityType: 'API' },
    })
    const other = await getJson<PagedBody>(
      fake,
      `/v1/auditEvents?${range}&filter[type]=OTHER`,
      token,
    )
    expect(other.body.data).toEqual([])
  })

  it('is not there for a school org', async () => {
    const school = await startWorld(smallOrgFixture('school'))
    try {
      expect((await getJson(school.fake, `/v1/auditEvents?${range}`, school.token)).status).toBe(
        404,
      )
    } finally {
      await school.fake.close()
    }
  })
})

describe('GET /v1/orgDevices/{serial}/appleCareCoverage', () => {
  // smallOrgFixture deals COVERAGE_KINDS in turn: device i has kind i % 7 (7 LW active, 8 LW
  // expired + paid up front, 9 subscription, 10 canceled, 11 AppleCare+ for Business, 12 empty, 13 404).
  const coverageOf = (index: number) =>
    getJson<PagedBody>(fake, `/v1/orgDevices/${serialAt(index)}/appleCareCoverage`, token)

  it('serves records whose ids are the plan keys', async () => {
    const warranty = (await coverageOf(7)).body
    expect(warranty.data).toEqual([
      {
        type: 'appleCareCoverage',
        id: serialAt(7),
        attributes: expect.objectContaining({
          paymentType: 'NONE',
          status: 'ACTIVE',
          agreementNumber: null,
        }),
      },
    ])
    const paidUpFront = (await coverageOf(8)).body.data
    expect(paidUpFront.map((record) => record.attributes?.paymentType)).toEqual([
      'NONE',
      'PAID_UP_FRONT',
    ])
    expect(paidUpFront[1]?.id).toBe(paidUpFront[1]?.attributes?.agreementNumber)
    expect((await coverageOf(9)).body.data[0]?.attributes).toMatchObject({
      paymentType: 'SUBSCRIPTION',
      isRenewable: true,
    })
    expect((await coverageOf(10)).body.data[1]?.attributes).toMatchObject({
      isCanceled: true,
      contractCancelDateTime: expect.any(String),
    })
    const business = (await coverageOf(11)).body.data[0]
    expect(business).toMatchObject({
      id: `abe-${serialAt(11)}`,
      attributes: { paymentType: 'ABE_SUBSCRIPTION', endDateTime: null },
    })
    expect((await coverageOf(7)).body.links.self).toBe(
      `${fake.apiUrl}/v1/orgDevices/${serialAt(7)}/appleCareCoverage`,
    )
  })

  it('answers an empty list, 404, 403 and 400 as the device is set', async () => {
    const empty = await coverageOf(12)
    expect(empty.status).toBe(200)
    expect(empty.body.data).toEqual([])
    expect((await coverageOf(13)).status).toBe(404)
    org.setCoverage(serialAt(14), 'forbidden')
    const forbidden = await getJson<ErrorBody>(
      fake,
      `/v1/orgDevices/${serialAt(14)}/appleCareCoverage`,
      token,
    )
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.errors[0]?.code).toBe('FORBIDDEN_ERROR')
    org.setCoverage(serialAt(14), 'badRequest')
    expect((await coverageOf(14)).status).toBe(400)
  })

  it('pages records and honours fields[appleCareCoverage]', async () => {
    const path = `/v1/orgDevices/${serialAt(8)}/appleCareCoverage?limit=1&fields[appleCareCoverage]=status,endDateTime`
    const first = await getJson<PagedBody>(fake, path, token)
    expect(first.body.data).toHaveLength(1)
    expect(Object.keys(first.body.data[0]?.attributes ?? {}).sort()).toEqual([
      'endDateTime',
      'status',
    ])
    const cursor = first.body.meta.paging.nextCursor
    const second = await getJson<PagedBody>(
      fake,
      `/v1/orgDevices/${serialAt(8)}/appleCareCoverage?limit=1&cursor=${cursor}`,
      token,
    )
    expect(second.body.data[0]?.attributes?.paymentType).toBe('PAID_UP_FRONT')
    expect(second.body.meta.paging.nextCursor).toBeUndefined()
    const unknown = await getJson<ErrorBody>(
      fake,
      `/v1/orgDevices/${serialAt(8)}/appleCareCoverage?fields[appleCareCoverage]=price`,
      token,
    )
    expect(unknown.body.errors[0]?.source).toEqual({ parameter: 'fields[appleCareCoverage]' })
  })
})

describe('MDM servers and assignments', () => {
  it('lists servers without lastConnected* unless fields asks for them', async () => {
    const plain = (await getJson<PagedBody>(fake, '/v1/mdmServers', token)).body
    expect(plain.data).toHaveLength(2)
    expect(plain.data[0]?.attributes).not.toHaveProperty('lastConnectedDateTime')
    const path = '/v1/mdmServers?fields[mdmServers]=serverName,lastConnectedDateTime,deviceCount'
    const named = (await getJson<PagedBody>(fake, path, token)).body
    expect(Object.keys(named.data[0]?.attributes ?? {}).sort()).toEqual([
      'deviceCount',
      'lastConnectedDateTime',
      'serverName',
    ])
  })

  it('answers a device’s server by linkage and in full, and 404 when it has none', async () => {
    const servers = (await getJson<PagedBody>(fake, '/v1/mdmServers', token)).body.data
    // smallOrgFixture: device i on server i % 3, none for i % 3 === 2.
    const linkage = await getJson<OneBody>(
      fake,
      `/v1/orgDevices/${serialAt(1)}/relationships/assignedServer`,
      token,
    )
    expect(linkage.body.data).toEqual({ type: 'mdmServers', id: servers[1]?.id })
    const full = await getJson<OneBody>(fake, `/v1/orgDevices/${serialAt(1)}/assignedServer`, token)
    expect(full.body.data).toMatchObject({
      type: 'mdmServers',
      id: servers[1]?.id,
      attributes: { serverName: 'Fake MDM 2' },
    })
    expect(
      (await getJson(fake, `/v1/orgDevices/${serialAt(2)}/assignedServer`, token)).status,
    ).toBe(404)
    org.assign(serialAt(2), servers[0]?.id ?? '')
    expect(
      (await getJson(fake, `/v1/orgDevices/${serialAt(2)}/assignedServer`, token)).status,
    ).toBe(200)
  })

  it('answers the related form of a server’s devices with Apple’s exact 403', async () => {
    const servers = (await getJson<PagedBody>(fake, '/v1/mdmServers', token)).body.data
    const { status, body } = await getJson(fake, `/v1/mdmServers/${servers[0]?.id}/devices`, token)
    expect(status).toBe(403)
    expect(body).toEqual({
      errors: [
        {
          status: '403',
          code: 'FORBIDDEN_ERROR',
          detail:
            "The relationship 'devices' does not allow 'GET_RELATED'. Allowed operation is: GET_RELATIONSHIP",
        },
      ],
    })
  })

  it('answers a device’s Activation Lock, unlocked unless set', async () => {
    const path = `/v1/orgDevices/${serialAt(0)}/activationLockStatus`
    expect((await getJson<OneBody>(fake, path, token)).body.data).toEqual({
      type: 'activationLockStatus',
      id: serialAt(0),
      attributes: { isLocked: false, lockType: 'NONE' },
    })
    org.setActivationLock(serialAt(0), { isLocked: true, lockType: 'MDM' })
    const named = await getJson<OneBody>(
      fake,
      `${path}?fields[activationLockStatus]=isLocked`,
      token,
    )
    expect(named.body.data.attributes).toEqual({ isLocked: true })
    const never = '/v1/orgDevices/NOSUCHSERIAL/activationLockStatus'
    expect((await getJson(fake, never, token)).status).toBe(404)
  })

  it('answers 404 to a server it does not have', async () => {
    expect(
      (await getJson(fake, '/v1/mdmServers/NOSUCHSERVER/relationships/devices', token)).status,
    ).toBe(404)
  })
})
