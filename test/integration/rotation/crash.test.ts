// A crash at every step boundary: a child process runs the rotation and is SIGKILLed there, then a
// fresh engine's start-up recovery must leave exactly one active credential, with its key, and no
// leftovers. Before the cutover the old credential is the one; from the cutover on, the new one.
import { fork } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CrashChildJob, StepBoundary } from '../../support/rotation-crash-child'
import { checkInvariants } from '../../../main/rotation/invariants'
import {
  createRotationWorld,
  disposeRotationWorld,
  engineFor,
  newClientId,
  newKey,
  seedTenant,
  tenantSnapshot,
  type RotationWorld,
  type SeededTenant,
} from '../../support/rotation-world'

const SERVICE = `AxM rotation crash test ${process.pid}`
const CHILD = fileURLToPath(new URL('../../support/rotation-crash-child.ts', import.meta.url))

let world: RotationWorld
let tenant: SeededTenant

beforeEach(async () => {
  world = createRotationWorld(SERVICE)
  tenant = await seedTenant(world, { name: 'Harbor Academy', devices: 20, coverage: 3 })
})
afterEach(() => disposeRotationWorld(world))

/** Runs the job in a child and kills it with SIGKILL when it reaches `killAt`. */
async function runAndKill(job: CrashChildJob, killAt: StepBoundary): Promise<void> {
  const child = fork(CHILD, [JSON.stringify(job)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  )
  child.on('message', (message: StepBoundary) => {
    if (message.phase === killAt.phase && message.step === killAt.step) child.kill('SIGKILL')
    else child.send('continue')
  })
  expect(await exited).toBe('SIGKILL')
}

describe.each([
  { phase: 'before', step: 'validate', journaled: false, cutOver: false },
  { phase: 'before', step: 'stage', journaled: true, cutOver: false },
  { phase: 'after', step: 'stage', journaled: true, cutOver: false },
  { phase: 'before', step: 'confirm', journaled: true, cutOver: false },
  { phase: 'before', step: 'cutover', journaled: true, cutOver: false },
  { phase: 'before', step: 'purge', journaled: true, cutOver: true },
  { phase: 'after', step: 'purge', journaled: true, cutOver: true },
] as const)('a crash $phase $step', ({ phase, step, journaled, cutOver }) => {
  it(`is ${cutOver ? 'finished' : 'rolled back'} at the next start`, async () => {
    const dataBefore = tenantSnapshot(world.dataDir, tenant.tenantId)
    const key = newKey(world)
    const job: CrashChildJob = {
      dataDir: world.dataDir,
      service: world.service,
      runId: randomUUID(),
      credentialId: tenant.credential.id,
      name: 'Harbor Academy 2026',
      clientId: newClientId(),
      keyId: randomUUID(),
      keyPath: key.path,
    }

    await runAndKill(job, { phase, step })
    const journal = world.state.read().rotations[job.runId] as
      { newCredentialId: string } | undefined
    expect(journal !== undefined).toBe(journaled)

    const results = await engineFor(world).recover()

    const expectedAction = cutOver ? 'finished' : 'rolled_back'
    expect(results).toEqual(journaled ? [{ runId: job.runId, action: expectedAction }] : [])
    expect(await checkInvariants(world)).toEqual([])
    const state = world.state.read()
    const active = cutOver ? journal?.newCredentialId : tenant.credential.id
    const activeKey = cutOver ? key.parsed : tenant.key.parsed
    expect(state.tenants[tenant.tenantId]?.activeCredentialId).toBe(active)
    expect(await world.secrets.accounts()).toEqual([active])
    expect(await world.secrets.get(active ?? '')).toBe(activeKey.pkcs8Pem)
    if (cutOver) expect(state.credentials[tenant.credential.id]?.status).toBe('retired')
    expect(tenantSnapshot(world.dataDir, tenant.tenantId)).toEqual(dataBefore)
    if (journaled) {
      expect(world.audit.list({ kind: 'rotation.recovered' })[0]?.details).toMatchObject({
        runId: job.runId,
        action: expectedAction,
      })
    }
  })
})
