import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SyncRun } from '../../../preload/sync-model'
import { PAGING_ORG_DEVICES, pagingOrgFixture, type FakeOrgInput } from '../../support/apple-api'
import {
  addSyncTenant,
  appleData,
  createSyncWorld,
  disposeSyncWorld,
  expectedCoverageRecords,
  type SyncTenant,
  type SyncWorld,
} from '../../support/sync-world'

let world: SyncWorld
let tenant: SyncTenant
let fixture: FakeOrgInput
let first: SyncRun
/** For each write transaction, how many turns of the event loop came before it. */
const turnsAtWrite: number[] = []

beforeAll(async () => {
  // Counts every turn of the event loop (each check phase), however short.
  let turns = 0
  let ticking = true
  const tick = () => {
    turns++
    if (ticking) setImmediate(tick)
  }
  setImmediate(tick)
  world = await createSyncWorld({ onWrite: () => turnsAtWrite.push(turns) })
  fixture = pagingOrgFixture()
  tenant = await addSyncTenant(world, fixture)
  first = await (await world.services.sync.start(tenant.tenantId, { kind: 'full' })).done
  ticking = false
}, 120_000)

afterAll(() => disposeSyncWorld(world))

describe('a full sync of 2,345 devices over several pages', () => {
  it('completes with every device once and every coverage record stored', () => {
    expect(first).toMatchObject({
      status: 'complete',
      kind: 'full',
      pages: 3,
      devicesSeen: PAGING_ORG_DEVICES,
      devicesNew: PAGING_ORG_DEVICES,
      devicesUpdated: 0,
      devicesInactive: 0,
      credentialIds: [tenant.credential.id],
    })
    const data = appleData(world.dataDir, tenant.tenantId)
    const serials = data.devices.map((device) => (device as { serial: string }).serial)
    expect(new Set(serials).size).toBe(PAGING_ORG_DEVICES)
    expect(serials.sort()).toEqual(fixture.devices.map((d) => d.attributes.serialNumber).sort())
    expect(data.coverage).toHaveLength(expectedCoverageRecords(fixture))
  })

  it('asks for 1,000 devices and the field list on every page, on URLs it builds itself', () => {
    const pages = world.fake.requests.filter((r) => r.route === 'orgDevices')
    expect(pages).toHaveLength(3)
    for (const page of pages) {
      expect(page.query.limit).toBe('1000')
      expect(page.query['fields[orgDevices]']).toContain('serialNumber')
    }
    expect(pages[0]?.query.cursor).toBeUndefined()
    expect(pages[1]?.query.cursor).toBeTruthy()
    expect(world.fake.requests.every((r) => r.method === 'GET' || r.route === 'token')).toBe(true)
    expect(world.fake.unexpected).toEqual([])
  })

  it('keeps the four coverage outcomes apart, and reads a device whose coverage is not found', () => {
    const byOutcome = new Map<string, number>()
    for (const device of appleData(world.dataDir, tenant.tenantId).devices) {
      const outcome = (device as { coverage_outcome: string }).coverage_outcome
      byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1)
    }
    const kinds = Object.values(fixture.coverage ?? {})
    const notFound = kinds.filter((c) => c === 'notFound').length
    const empty = kinds.filter((c) => c === 'empty').length
    expect(byOutcome.get('notFound')).toBe(notFound)
    expect(byOutcome.get('none')).toBe(empty)
    expect(byOutcome.get('records')).toBe(PAGING_ORG_DEVICES - notFound - empty)
    expect(first).toMatchObject({
      coverageNotFound: notFound,
      coverageNone: empty,
      coverageFetched: PAGING_ORG_DEVICES - notFound - empty,
      coverageFailed: 0,
    })
    const reads = world.fake.requests.filter((r) => r.route === 'orgDevice')
    expect(reads).toHaveLength(notFound)
  })

  it('lets the event loop turn between every two write transactions (the window stays responsive)', () => {
    expect(turnsAtWrite.length).toBeGreaterThan(25)
    const backToBack = turnsAtWrite.filter((turns, i) => i > 0 && turns === turnsAtWrite[i - 1])
    expect(backToBack).toEqual([])
  })

  it('shares one token among the coverage workers', () => {
    expect(world.fake.tokenRequests(tenant.client.clientId)).toBe(1)
    expect(world.fake.peakInFlight()).toBeLessThanOrEqual(3)
  })

  it('run again right away, lists every device again, skips fresh coverage and changes nothing', async () => {
    const before = appleData(world.dataDir, tenant.tenantId)
    const requestsBefore = world.fake.requests.length
    const second = await (await world.services.sync.start(tenant.tenantId, { kind: 'full' })).done
    expect(second).toMatchObject({
      status: 'complete',
      devicesSeen: PAGING_ORG_DEVICES,
      devicesNew: 0,
      devicesUpdated: 0,
      devicesInactive: 0,
      coverageFetched: 0,
    })
    const made = world.fake.requests.slice(requestsBefore)
    expect(made.filter((r) => r.route === 'orgDevices')).toHaveLength(3)
    expect(made.filter((r) => r.route === 'coverage')).toEqual([])
    expect(appleData(world.dataDir, tenant.tenantId)).toEqual(before)
    expect(world.services.sync.history(tenant.tenantId).map((run) => run.id)).toEqual([
      second.id,
      first.id,
    ])
  })
})
