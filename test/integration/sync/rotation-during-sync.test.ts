// A credential change while the tenant syncs: the run waits at a safe point, the rotation's
// before/after evidence is taken while nothing writes, and the same run goes on with the new key.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SyncProgress, SyncRun } from '../../../preload/sync-model'
import { createHandlers } from '../../../main/ipc/handlers'
import { parsePrivateKey } from '../../../main/vault/private-key'
import { makeFakeCoverage, makeFakeDevices, type FakeOrgInput } from '../../support/apple-api'
import {
  addSyncTenant,
  appleData,
  createSyncWorld,
  disposeSyncWorld,
  expectedCoverageRecords,
  newApiAccount,
  type SyncTenant,
  type SyncWorld,
} from '../../support/sync-world'

const DEVICES = 300

let world: SyncWorld
let tenant: SyncTenant
let fixture: FakeOrgInput

beforeAll(async () => {
  world = await createSyncWorld({ fake: { latencyMs: 2 }, tuning: { coverageBatch: 10 } })
  const devices = makeFakeDevices(DEVICES, 11)
  fixture = { scope: 'business', devices, coverage: makeFakeCoverage(devices) }
  tenant = await addSyncTenant(world, fixture)
})

afterAll(() => disposeSyncWorld(world))

function whenProgress(test: (p: SyncProgress) => boolean): Promise<SyncProgress> {
  return new Promise((resolve) => {
    const stop = world.services.sync.onProgress((p) => {
      if (!test(p)) return
      stop()
      resolve(p)
    })
  })
}

describe('Change Credential during a sync', () => {
  let run: SyncRun
  let seenPaused = false

  it('holds the run, rotates with unchanged data, and the same run finishes with the new key', async () => {
    world.services.sync.onProgress((p) => (seenPaused ||= p.pausedForRotation))
    const { done } = await world.services.sync.start(tenant.tenantId, { kind: 'full' })
    await whenProgress((p) => p.phase === 'coverage' && p.coverageDone >= 60)

    const next = newApiAccount(world, tenant.org)
    const outcome = await world.services.rotation.rotate({
      runId: randomUUID(),
      credentialId: tenant.credential.id,
      name: 'Main office 2026',
      clientId: next.clientId,
      keyId: next.keyId,
      key: parsePrivateKey(next.privateKeyPem),
    })
    expect(outcome.after).toEqual(outcome.before)
    expect(seenPaused).toBe(true)

    run = await done
    expect(run).toMatchObject({
      status: 'complete',
      devicesSeen: DEVICES,
      credentialIds: [tenant.credential.id, outcome.newCredentialId],
    })
    const late = world.fake.requests.filter((r) => r.route === 'coverage').slice(-20)
    expect(new Set(late.map((r) => r.clientId))).toEqual(new Set([next.clientId]))
  }, 120_000)

  it('loses and duplicates nothing across the change', () => {
    const data = appleData(world.dataDir, tenant.tenantId)
    expect(data.devices).toHaveLength(DEVICES)
    expect(data.coverage).toHaveLength(expectedCoverageRecords(fixture))
    expect(run.coverageFetched + run.coverageNone + run.coverageNotFound).toBe(DEVICES)
    expect(run.coverageFailed).toBe(0)
    expect(world.services.sync.history(tenant.tenantId)).toHaveLength(1)
  })

  it('stops the sync when the tenant loses its last credential', async () => {
    const { done } = await world.services.sync.start(tenant.tenantId, { kind: 'full', force: true })
    await whenProgress((p) => p.phase === 'coverage' && p.coverageDone >= 20)
    const [active] = world.services.vault.list().filter((c) => c.status === 'active')
    const handlers = createHandlers(world.services, {
      pickFile: () => Promise.resolve(null),
      saveFile: () => Promise.resolve(null),
      emit: () => {},
    })
    const removed = await handlers.removeCredential({
      credentialId: active?.id,
      tenantData: 'keep',
    })
    expect(removed.ok).toBe(true)
    expect(await done).toMatchObject({ status: 'canceled', stopReason: 'canceled' })
  }, 60_000)
})
