// How a sync meets Apple's failures: rate limits, server errors, dropped connections, expiring and
// refused tokens, stale cursors, and missing permissions. Each run is against the loopback fake,
// which answers as Apple documents (and as clients have observed).
import { afterEach, describe, expect, it } from 'vitest'
import type { SyncRun } from '../../../preload/sync-model'
import { smallOrgFixture, type FakeOrgInput } from '../../support/apple-api'
import {
  addSyncTenant,
  appleData,
  createSyncWorld,
  disposeSyncWorld,
  type SyncTenant,
  type SyncWorld,
} from '../../support/sync-world'

let world: SyncWorld | undefined

afterEach(async () => {
  if (world) await disposeSyncWorld(world)
  world = undefined
})

/** A world with the 25-device org; pages of 10 devices and coverage written 5 at a time. */
async function setUp(fixture: FakeOrgInput = smallOrgFixture()): Promise<SyncTenant> {
  world = await createSyncWorld({ tuning: { pageSize: 10, coverageBatch: 5 } })
  return addSyncTenant(world, fixture)
}

async function sync(tenant: SyncTenant, kind: 'full' | 'partial' = 'full'): Promise<SyncRun> {
  return (await (world as SyncWorld).services.sync.start(tenant.tenantId, { kind })).done
}

function serialWithCoverage(fixture: FakeOrgInput): string {
  const entry = Object.entries(fixture.coverage ?? {}).find(([, c]) => typeof c === 'object')
  return entry?.[0] as string
}

function deviceRow(tenant: SyncTenant, serial: string): Record<string, unknown> {
  const devices = appleData((world as SyncWorld).dataDir, tenant.tenantId).devices
  return devices.find((d) => (d as { serial: string }).serial === serial) as Record<string, unknown>
}

describe("Apple's rate limit", () => {
  it('waits as long as Retry-After says, then goes on', async () => {
    const fixture = smallOrgFixture()
    const tenant = await setUp(fixture)
    const serial = serialWithCoverage(fixture)
    world?.fake.faults.add({ route: 'coverage', serial, status: 429, retryAfter: 2 })
    const run = await sync(tenant)
    expect(run).toMatchObject({ status: 'complete', rateLimitWaits: 1, coverageFailed: 0 })
    expect(run.rateLimitWaitMs).toBe(2000)
    const asks = world?.fake.requests.filter(
      (r) => r.route === 'coverage' && r.path.includes(serial),
    )
    expect(asks?.map((r) => r.status)).toEqual([429, 200])
    const [limited, retried] = asks ?? []
    expect((retried?.startedAt ?? 0) - (limited?.endedAt ?? 0)).toBeGreaterThanOrEqual(1900)
  })

  it('backs off on its own when Apple gives no Retry-After', async () => {
    const tenant = await setUp()
    world?.fake.faults.add({ route: 'coverage', status: 429, times: 3 })
    const run = await sync(tenant)
    expect(run).toMatchObject({ status: 'complete', rateLimitWaits: 3, coverageFailed: 0 })
  })

  it('gives a device No Data when its budget is spent, and the run goes on', async () => {
    const fixture = smallOrgFixture()
    const tenant = await setUp(fixture)
    const serial = serialWithCoverage(fixture)
    world?.fake.faults.add({ route: 'coverage', serial, status: 429, times: Infinity })
    const run = await sync(tenant)
    expect(run).toMatchObject({ status: 'partial', coverageFailed: 1, stopReason: null })
    expect(run.message).toMatch(/Sync Devices Without Data/)
    expect(deviceRow(tenant, serial).coverage_outcome).toBe('unavailable')
    expect(run.coverageFetched + run.coverageNone + run.coverageNotFound).toBe(24)
  })
})

describe('server errors and dropped connections', () => {
  it('retries 5xx answers (JSON and HTML) until Apple answers', async () => {
    const tenant = await setUp()
    world?.fake.faults.add({ route: 'coverage', status: 503, times: 2 })
    world?.fake.faults.add({ route: 'coverage', status: 502, body: 'html' })
    const run = await sync(tenant)
    expect(run).toMatchObject({ status: 'complete', retries: 3, coverageFailed: 0 })
  })

  it('asks a page again from the same cursor when the connection drops before or during it', async () => {
    const fixture = smallOrgFixture()
    const tenant = await setUp(fixture)
    world?.fake.faults.add({ route: 'orgDevices', page: 2, reset: 'headers' })
    world?.fake.faults.add({ route: 'orgDevices', page: 3, reset: 'body' })
    const run = await sync(tenant)
    expect(run).toMatchObject({ status: 'complete', pages: 3, devicesSeen: 25, devicesNew: 25 })
    const pages = world?.fake.requests.filter((r) => r.route === 'orgDevices') ?? []
    expect(pages).toHaveLength(5)
    expect(pages[1]?.query.cursor).toBe(pages[2]?.query.cursor)
    expect(pages[3]?.query.cursor).toBe(pages[4]?.query.cursor)
    expect(appleData(world?.dataDir as string, tenant.tenantId).devices).toHaveLength(25)
  })

  it('stops a run whose device list cannot be read, marks nothing inactive, and resumes later', async () => {
    const fixture = smallOrgFixture()
    const tenant = await setUp(fixture)
    expect((await sync(tenant)).status).toBe('complete')
    const lastSerial = fixture.devices.at(-1)?.attributes.serialNumber as string
    tenant.org.release(lastSerial)
    world?.fake.faults.add({ route: 'orgDevices', page: 3, status: 503, times: Infinity })
    const failed = await sync(tenant)
    expect(failed).toMatchObject({ status: 'partial', stopReason: 'server', devicesInactive: 0 })
    expect(failed.message).toMatch(/Sync again to continue/)
    expect(deviceRow(tenant, lastSerial).inactive).toBe(0)

    world?.fake.faults.clear()
    const resumed = await sync(tenant)
    expect(resumed.id).toBe(failed.id)
    expect(resumed).toMatchObject({ status: 'complete', devicesInactive: 1 })
    expect(deviceRow(tenant, lastSerial).inactive).toBe(1)
  })
})

describe('tokens during a run', () => {
  it('renews an expired token once, shared by every worker', async () => {
    const tenant = await setUp()
    let expired = false
    world?.services.sync.onProgress((p) => {
      if (!expired && p.coverageDone >= 5) {
        expired = true
        world?.fake.expireTokens()
      }
    })
    const run = await sync(tenant)
    expect(expired).toBe(true)
    expect(run).toMatchObject({ status: 'complete', coverageFailed: 0 })
    expect(world?.fake.tokenRequests(tenant.client.clientId)).toBe(2)
  })

  it('stops when Apple refuses a fresh token too, keeping what it synced', async () => {
    const tenant = await setUp()
    world?.fake.faults.add({ route: 'coverage', status: 401, times: Infinity })
    const run = await sync(tenant)
    expect(run).toMatchObject({ status: 'failed', stopReason: 'rejected' })
    expect(run.message).toMatch(/Change Credential/)
    expect(appleData(world?.dataDir as string, tenant.tenantId).devices).toHaveLength(25)
  })

  it('stops when the key is revoked mid-run and points to Change Credential', async () => {
    const tenant = await setUp()
    let revoked = false
    world?.services.sync.onProgress((p) => {
      if (!revoked && p.coverageDone >= 5) {
        revoked = true
        world?.fake.revoke(tenant.client.clientId)
      }
    })
    const run = await sync(tenant)
    expect(run).toMatchObject({ status: 'failed', stopReason: 'revoked' })
    expect(run.message).toMatch(/revoked or replaced in Apple Business Manager.*Change Credential/)
    expect(run.coverageFetched + run.coverageNone + run.coverageNotFound).toBeGreaterThanOrEqual(5)
  })
})

describe('the device list', () => {
  it('marks a device released between two runs inactive, with its release time, and keeps it', async () => {
    const fixture = smallOrgFixture()
    const tenant = await setUp(fixture)
    const serial = serialWithCoverage(fixture)
    await sync(tenant)
    const coverageBefore = appleData(world?.dataDir as string, tenant.tenantId).coverage
    tenant.org.release(serial, new Date('2026-11-20T10:00:00.000Z'))
    const run = await sync(tenant)
    expect(run).toMatchObject({ status: 'complete', devicesSeen: 24, devicesInactive: 1 })
    expect(deviceRow(tenant, serial)).toMatchObject({
      inactive: 1,
      released_from_org: '2026-11-20T10:00:00.000Z',
    })
    expect(appleData(world?.dataDir as string, tenant.tenantId).coverage).toEqual(coverageBefore)
  })

  it('marks nothing inactive after a stale cursor made the list start over', async () => {
    const fixture = smallOrgFixture()
    const tenant = await setUp(fixture)
    await sync(tenant)
    const serial = fixture.devices[0]?.attributes.serialNumber as string
    tenant.org.purge(serial)
    let invalidated = false
    world?.services.sync.onProgress((p) => {
      if (!invalidated && p.phase === 'devices' && p.pages === 1) {
        invalidated = true
        world?.fake.invalidateCursors()
      }
    })
    const run = await sync(tenant)
    expect(invalidated).toBe(true)
    expect(run).toMatchObject({ status: 'complete', devicesInactive: 0 })
    expect(run.message).toMatch(/read again from the start/)
    expect(deviceRow(tenant, serial).inactive).toBe(0)
  })

  it('says which access the API account lacks when Apple forbids the device list', async () => {
    const tenant = await setUp()
    world?.fake.faults.add({ route: 'orgDevices', status: 403, times: Infinity })
    const run = await sync(tenant)
    expect(run).toMatchObject({ status: 'failed', stopReason: 'forbidden' })
    expect(run.message).toMatch(/may not read the organisation's devices \(HTTP 403\)/)
  })
})

describe('coverage that cannot be had', () => {
  it('keeps a forbidden device at No Data and says the account may lack coverage access', async () => {
    const fixture = smallOrgFixture()
    const serial = serialWithCoverage(fixture)
    const tenant = await setUp(fixture)
    await sync(tenant)
    const kept = appleData(world?.dataDir as string, tenant.tenantId).coverage.filter(
      (c) => (c as { serial: string }).serial === serial,
    )
    expect(kept.length).toBeGreaterThan(0)
    tenant.org.setCoverage(serial, 'forbidden')
    tenant.org.touch(serial)
    const run = await sync(tenant)
    expect(run).toMatchObject({ status: 'partial', coverageFailed: 1 })
    expect(run.message).toMatch(/lack access to AppleCare coverage/)
    expect(deviceRow(tenant, serial).coverage_outcome).toBe('unavailable')
    const after = appleData(world?.dataDir as string, tenant.tenantId).coverage.filter(
      (c) => (c as { serial: string }).serial === serial,
    )
    expect(after).toEqual(kept)

    tenant.org.setCoverage(serial, 'empty')
    const partial = await sync(tenant, 'partial')
    expect(partial).toMatchObject({
      status: 'complete',
      kind: 'partial',
      coverageNone: 1,
      pages: 0,
    })
    expect(deviceRow(tenant, serial).coverage_outcome).toBe('none')
  })
})
