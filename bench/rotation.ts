// Change Credential at two tenant sizes. Data is never copied, only the tenant's binding changes,
// so the time should not grow with the tenant, except for the two data snapshots (counts and a
// SHA-256 over every row) that prove the data unchanged; those are measured on their own.
import { randomUUID } from 'node:crypto'
import { publicKeyPemOf, startOAuthTestServer } from '../test/support/oauth-server'
import {
  createRotationWorld,
  disposeRotationWorld,
  engineFor,
  newClientId,
  newKey,
  seedTenant,
  tenantSnapshot,
} from '../test/support/rotation-world'

const ROTATIONS = 5
const COVERAGE_PER_DEVICE = 3
const SERVICE = `AxM rotation bench ${process.pid}`

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
const ms = (value: number): string => `${value.toFixed(1)} ms`
const count = (value: number): string => value.toLocaleString('en-US')

interface Measured {
  rotationMs: number
  /** The part of each rotation spent in the two tenant data snapshots. */
  snapshotMs: number
}

/** Rotates one tenant `ROTATIONS` times in a row, confirming at `tokenUrl` or offline. */
async function rotateRepeatedly(
  devices: number,
  oauth?: { tokenUrl: string; register(keyPath: string, clientId: string, keyId: string): void },
): Promise<Measured> {
  const world = createRotationWorld(SERVICE)
  try {
    let snapshotMs = 0
    const engine = engineFor(world, {
      tokenUrl: oauth?.tokenUrl,
      tenantSnapshot: (tenantId) => {
        const start = performance.now()
        const snapshot = tenantSnapshot(world.dataDir, tenantId)
        snapshotMs += performance.now() - start
        return snapshot
      },
    })
    const seeded = await seedTenant(world, { devices, coverage: COVERAGE_PER_DEVICE })
    let credentialId = seeded.credential.id
    const rotations: Measured[] = []
    // One rotation first that is not measured, so the figures are not the JIT warming up.
    for (let run = -1; run < ROTATIONS; run++) {
      const key = newKey(world)
      const clientId = newClientId()
      const keyId = randomUUID()
      oauth?.register(key.path, clientId, keyId)
      snapshotMs = 0
      const start = performance.now()
      const outcome = await engine.rotate({
        runId: randomUUID(),
        credentialId,
        name: `Bench ${run}`,
        clientId,
        keyId,
        key: key.parsed,
        confirmOffline: oauth === undefined,
      })
      if (run >= 0) rotations.push({ rotationMs: performance.now() - start, snapshotMs })
      credentialId = outcome.newCredentialId
    }
    return {
      rotationMs: median(rotations.map((r) => r.rotationMs)),
      snapshotMs: median(rotations.map((r) => r.snapshotMs)),
    }
  } finally {
    await disposeRotationWorld(world)
  }
}

async function rotateWithOAuth(devices: number): Promise<Measured> {
  const server = await startOAuthTestServer()
  try {
    return await rotateRepeatedly(devices, {
      tokenUrl: server.url,
      register: (keyPath, clientId, keyId) =>
        server.register({ clientId, keyId, publicKeyPem: publicKeyPemOf(keyPath) }),
    })
  } finally {
    await server.close()
  }
}

export async function bench(): Promise<Array<{ label: string; figure: string }>> {
  const small = await rotateRepeatedly(1_000)
  const large = await rotateRepeatedly(100_000)
  const oauth = await rotateWithOAuth(1_000)
  const devices = (n: number) => `${count(n)} devices × ${COVERAGE_PER_DEVICE} coverage`
  const share = (m: Measured) => `${Math.round((m.snapshotMs / m.rotationMs) * 100)}%`
  return [
    {
      label: `Rotation, ${devices(1_000)}, offline (median of ${ROTATIONS})`,
      figure: ms(small.rotationMs),
    },
    { label: `Rotation, ${devices(100_000)}, offline`, figure: ms(large.rotationMs) },
    {
      label: 'Rotation time ratio, 100,000 / 1,000 devices',
      figure: `${(large.rotationMs / small.rotationMs).toFixed(2)}×`,
    },
    {
      label: `  in its 2 data snapshots, ${count(1_000)} devices`,
      figure: `${ms(small.snapshotMs)} (${share(small)})`,
    },
    {
      label: `  in its 2 data snapshots, ${count(100_000)} devices`,
      figure: `${ms(large.snapshotMs)} (${share(large)})`,
    },
    {
      label: '  ratio without the snapshots, 100,000 / 1,000 devices',
      figure: `${((large.rotationMs - large.snapshotMs) / (small.rotationMs - small.snapshotMs)).toFixed(2)}×`,
    },
    { label: `Rotation, ${devices(1_000)}, loopback OAuth`, figure: ms(oauth.rotationMs) },
  ]
}
