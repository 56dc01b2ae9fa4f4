// check and change through the real axm-credentials executable, against the loopback stand-in for
// Apple's token endpoint that verifies every assertion it is sent.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Credential } from '../../../preload/model'
import {
  startOAuthTestServer,
  type OAuthTestServer,
  type TestClient,
} from '../../support/oauth-server'
import { tenantSnapshot } from '../../support/rotation-world'
import { CliWorld, keychain, uniqueName } from './support'

let server: OAuthTestServer
let world: CliWorld

beforeAll(async () => {
  server = await startOAuthTestServer()
})

afterAll(async () => {
  await server.close()
})

beforeEach(() => {
  world = new CliWorld({ AXM_OAUTH_TOKEN_URL: server.url })
  server.mode = 'normal'
})

afterEach(async () => {
  world.expectNoKeyMaterial()
  await world.dispose()
})

async function listed(): Promise<Credential[]> {
  const run = await world.run(['list', '--json'])
  expect(run.status).toBe(0)
  return JSON.parse(run.stdout) as Credential[]
}

describe('axm-credentials check', () => {
  it('passes while Apple accepts the key, fails once it is revoked, and records each check', async () => {
    const client = world.newClient()
    server.register(client)
    const name = uniqueName('Checked')
    const id = await world.add(name, client)

    const accepted = await world.run(['check', name])
    expect(accepted).toMatchObject({ status: 0, stderr: '' })
    expect(accepted.stdout.trim()).toBe(`${name}: Apple accepted this credential.`)
    expect(world.state().credentials[id]?.lastCheck).toMatchObject({ ok: true })

    server.revoke(client.clientId)
    const rejected = await world.run(['check', id])
    expect(rejected).toMatchObject({ status: 1, stdout: '' })
    expect(rejected.stderr.trim()).toBe(
      `${name}: Apple rejected this key: check the Client ID and Key ID, or the key was revoked.`,
    )

    const [credential] = await listed()
    expect(credential?.lastCheck).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Apple rejected this key/),
    })
    expect(server.requests.filter((r) => r.clientId === client.clientId).map((r) => r.ok)).toEqual([
      true,
      false,
    ])
  })
})

describe('axm-credentials change', () => {
  let oldName: string
  let oldId: string
  let tenantId: string
  let next: TestClient
  let changeArgs: string[]

  /** A tenant with an active credential and 25 devices of 3 coverage records each. */
  beforeEach(async () => {
    oldName = uniqueName('Before')
    oldId = await world.add(oldName, world.newClient())
    tenantId = world.state().credentials[oldId]!.tenantId
    world.importDevices(tenantId, 25, 3)
    next = world.newClient()
    changeArgs = ['change', oldName, '--name', uniqueName('After'), '--client-id', next.clientId]
    changeArgs.push('--key-id', next.keyId, '--key', next.keyPath)
  })

  async function expectUnchanged(): Promise<void> {
    const credentials = await listed()
    expect(credentials).toEqual([expect.objectContaining({ id: oldId, status: 'active' })])
    expect(world.state().tenants[tenantId]?.activeCredentialId).toBe(oldId)
    expect(world.state().rotations).toEqual({})
    expect(tenantSnapshot(world.dataDir, tenantId)).toMatchObject({ devices: 25, coverage: 75 })
  }

  it('moves the tenant to a key Apple confirms, carrying every device and coverage record over', async () => {
    server.register(next)
    const before = tenantSnapshot(world.dataDir, tenantId)
    expect(before).toMatchObject({ devices: 25, coverage: 75 })

    const run = await world.run(changeArgs)
    expect(run.status).toBe(0)
    const newId = /to credential (\S+) /.exec(run.stdout)?.[1] ?? ''
    expect(run.stdout.trim()).toBe(
      `Changed "${oldName}" to credential ${newId} (confirmed with Apple); 25 devices and 75 coverage records carried over.`,
    )
    expect(run.stderr).toContain('✓ Confirm with Apple')

    const credentials = await listed()
    expect(credentials).toEqual([
      expect.objectContaining({ id: oldId, status: 'retired', replacedBy: newId }),
      expect.objectContaining({
        id: newId,
        status: 'active',
        replaces: oldId,
        clientId: next.clientId,
      }),
    ])
    expect(world.state().tenants[tenantId]?.activeCredentialId).toBe(newId)
    expect(tenantSnapshot(world.dataDir, tenantId)).toEqual(before)
    expect(await keychain.get(oldId)).toBeNull()
    expect(await keychain.get(newId)).not.toBeNull()
  })

  it('changes nothing when Apple rejects the new key, and says which step failed', async () => {
    server.register(next)
    server.mode = 'invalid_client'

    const run = await world.run(changeArgs)
    expect(run).toMatchObject({ status: 1, stdout: '' })
    expect(run.stderr).toContain('✗ Confirm with Apple')
    expect(run.stderr).toMatch(
      /axm-credentials: Confirming the new key with Apple failed: Apple rejected this key.* Nothing was changed: ".+" is still the tenant's credential\./,
    )
    await expectUnchanged()
  })

  it('needs --confirm-offline when Apple cannot be reached, and then changes offline', async () => {
    const offline = { AXM_OAUTH_TOKEN_URL: 'http://127.0.0.1:9/auth/oauth2/token' }

    const unreachable = await world.run(changeArgs, offline)
    expect(unreachable.status).toBe(1)
    expect(unreachable.stderr).toMatch(
      /Could not reach Apple's sign-in service.*Nothing was changed/,
    )
    await expectUnchanged()

    const run = await world.run([...changeArgs, '--confirm-offline'], offline)
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(
      /\(confirmed offline\); 25 devices and 75 coverage records carried over\.$/m,
    )
    expect((await listed()).map((c) => c.status)).toEqual(['retired', 'active'])
  })

  it('undoes a change a killed process left behind, then changes', async () => {
    server.register(next)
    server.mode = 'hang'
    const kill = new AbortController()
    const killed = world.run(changeArgs, {}, kill.signal)
    // The request hangs once the new key is staged and journaled: kill the process right there.
    await vi.waitFor(() => {
      expect(server.requests).toContainEqual(expect.objectContaining({ clientId: next.clientId }))
    }, 30_000)
    const staged = Object.values(world.state().credentials).find((c) => c.status === 'pending')
    expect(staged).toBeDefined()
    kill.abort()
    expect((await killed).status).toBeNull()
    expect(await keychain.get(staged!.id)).not.toBeNull()

    server.mode = 'normal'
    const run = await world.run(changeArgs)
    expect(run.stderr).toContain('An interrupted credential change was undone')
    expect(run.status).toBe(0)
    const credentials = await listed()
    expect(credentials.map((c) => [c.id === oldId, c.status])).toEqual([
      [true, 'retired'],
      [false, 'active'],
    ])
    expect(credentials.map((c) => c.id)).not.toContain(staged!.id)
    expect(await keychain.get(staged!.id)).toBeNull()
    expect(tenantSnapshot(world.dataDir, tenantId)).toMatchObject({ devices: 25, coverage: 75 })
  })
})
