// axm-credentials sync, as an admin runs it: the real executable in child processes against the
// loopback fake of Apple's API, killed mid-run and run again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SyncRun } from '../../../preload/sync-model'
import {
  makeFakeCoverage,
  makeFakeDevices,
  startAppleApiFake,
  type AppleApiFake,
  type FakeOrgInput,
} from '../../support/apple-api'
import { appleData, expectedCoverageRecords } from '../../support/sync-world'
import { CliWorld, lines, uniqueName } from './support'

const DEVICES = 2500
/** The tenants that are killed and canceled mid-run are smaller: the run is the point. */
const SMALL = 800

let fake: AppleApiFake
let world: CliWorld
let fixture: FakeOrgInput
let small: FakeOrgInput

beforeAll(async () => {
  fake = await startAppleApiFake()
  world = new CliWorld({ AXM_OAUTH_TOKEN_URL: fake.tokenUrl, AXM_APPLE_API_URL: fake.apiUrl })
  const devices = makeFakeDevices(DEVICES, 7)
  fixture = { scope: 'business', devices, coverage: makeFakeCoverage(devices) }
  const smallDevices = makeFakeDevices(SMALL, 8)
  small = { scope: 'business', devices: smallDevices, coverage: makeFakeCoverage(smallDevices) }
})

afterAll(async () => {
  await world.dispose()
  await fake.close()
})

/** A tenant of a fresh organisation holding `fixture`, added through the CLI; its tenant id. */
async function addTenant(name: string, input: FakeOrgInput = fixture): Promise<string> {
  const org = fake.addOrg(input)
  const client = world.newClient()
  org.addClient(client)
  const credentialId = await world.add(name, client)
  return world.state().credentials[credentialId]?.tenantId as string
}

const coverageAsked = (): number => fake.requests.filter((r) => r.route === 'coverage').length

function history(name: string): Promise<SyncRun[]> {
  return world
    .run(['sync', 'history', name, '--json'])
    .then((run) => JSON.parse(run.stdout) as SyncRun[])
}

describe('axm-credentials sync', () => {
  const name = uniqueName('Sync School')
  let tenantId: string

  it('syncs every device and coverage record of a 2,500-device tenant', async () => {
    tenantId = await addTenant(name)
    const run = await world.run(['sync', name, '--json'])
    expect(run.stderr).not.toMatch(/^axm-credentials:/m)
    expect(run.status).toBe(0)
    const record = JSON.parse(run.stdout) as SyncRun & { tenantId: string }
    expect(record).toMatchObject({ tenantId, status: 'complete', devicesSeen: DEVICES, pages: 3 })
    const data = appleData(world.dataDir, tenantId)
    expect(data.devices).toHaveLength(DEVICES)
    expect(data.coverage).toHaveLength(expectedCoverageRecords(fixture))
    // Progress is on stderr, as plain lines when it is not a terminal.
    expect(run.stderr).toMatch(/^Listing devices: page 1, 1000 devices$/m)
    expect(run.stderr).toMatch(/^Coverage █+░* \d+ of \d+$/m)
    world.expectNoKeyMaterial()
  }, 120_000)

  it('changes nothing when run again, and says so in its summary', async () => {
    const before = appleData(world.dataDir, tenantId)
    const run = await world.run(['sync', name])
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(
      /full sync complete\. 2500 devices listed \(0 new, 0 changed, 0 no longer/,
    )
    expect(appleData(world.dataDir, tenantId)).toEqual(before)
    const runs = await history(name)
    expect(runs.map((r) => r.status)).toEqual(['complete', 'complete'])
  }, 120_000)

  it('resumes a run killed during coverage and ends with the data of an uninterrupted run', async () => {
    const referenceName = uniqueName('Reference School')
    const referenceTenant = await addTenant(referenceName, small)
    expect((await world.run(['sync', referenceName])).status).toBe(0)

    const killedName = uniqueName('Killed School')
    const killedTenant = await addTenant(killedName, small)
    fake.latencyMs = 3
    const kill = new AbortController()
    const start = coverageAsked()
    const watcher = setInterval(() => {
      if (coverageAsked() - start >= 300) kill.abort()
    }, 10)
    const killed = await world.run(['sync', killedName], {}, kill.signal)
    clearInterval(watcher)
    fake.latencyMs = 0
    expect(killed.status).toBeNull()
    const [interrupted] = await history(killedName)
    expect(interrupted).toMatchObject({ status: 'running', phase: 'coverage' })
    const written = interrupted?.coverageFetched ?? 0
    expect(written).toBeGreaterThan(0)

    const asked = coverageAsked()
    const resumed = await world.run(['sync', killedName])
    expect(resumed.status).toBe(0)
    expect(resumed.stderr).toMatch(/^Resuming the full sync started /m)
    // Only what the killed run had not written is asked again (and at most a batch in flight).
    expect(coverageAsked() - asked).toBeLessThanOrEqual(SMALL - written)
    const runs = await history(killedName)
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ id: interrupted?.id, status: 'complete', devicesSeen: SMALL })
    expect(appleData(world.dataDir, killedTenant)).toEqual(
      appleData(world.dataDir, referenceTenant),
    )
  }, 120_000)

  it('cancels on Ctrl+C after the batch in hand, and a next run continues', async () => {
    const canceledName = uniqueName('Canceled School')
    await addTenant(canceledName, small)
    fake.latencyMs = 3
    const start = coverageAsked()
    const ctrlC = new AbortController()
    const child = world.run(['sync', canceledName], {}, undefined, ctrlC.signal)
    const deadline = Date.now() + 30_000
    while (coverageAsked() - start < 50 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    ctrlC.abort()
    const run = await child
    fake.latencyMs = 0
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/full sync canceled \(sync again to continue where it stopped\)/)
    const [canceled] = await history(canceledName)
    expect(canceled).toMatchObject({ status: 'canceled', stopReason: 'canceled' })
    const again = await world.run(['sync', canceledName])
    expect(again.status).toBe(0)
    expect((await history(canceledName)).map((r) => r.id)).toEqual([canceled?.id])
  }, 120_000)

  it('refuses wrong usage with exit code 2', async () => {
    const usage = [['sync'], ['sync', name, '--partial', '--force'], ['sync', name, '--device']]
    const runs = await Promise.all(usage.map((args) => world.run(args)))
    for (const run of runs) {
      expect(run.status).toBe(2)
      expect(run.stderr).toMatch(/^axm-credentials: /)
    }
  })

  it('syncs one device, and refuses a serial number that is not one', async () => {
    const serial = fixture.devices[3]?.attributes.serialNumber as string
    const ok = await world.run(['sync', name, '--device', serial, '--json'])
    expect(ok.status).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ kind: 'device', serial, devicesSeen: 1 })
    const bad = await world.run(['sync', name, '--device', 'C02/../x'])
    expect(bad.status).toBe(1)
    expect(lines(bad.stderr)).toEqual([
      'axm-credentials: "C02/../x" is not a serial number (letters and digits, up to 64).',
    ])
  })

  it('announces the test API on every run', async () => {
    const run = await world.runWithoutDataDir([
      '--data-dir',
      world.dataDir,
      'sync',
      'history',
      name,
    ])
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/complete/)
  })
})
