// Several axm-credentials processes writing the same data folder at once, as an admin's scripts or
// the app and a script would: every change lands, and the rules still hold across processes.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AUDIT_FILE_NAME } from '../../../main/audit/audit-log'
import { addArgs, CliWorld, keychain, uniqueName } from './support'

let world: CliWorld

beforeEach(() => {
  world = new CliWorld()
})

afterEach(async () => {
  world.expectNoKeyMaterial()
  await world.dispose()
})

describe('axm-credentials run side by side', () => {
  it('keeps every credential that three processes add at the same time', async () => {
    const clients = [world.newClient(), world.newClient('school'), world.newClient()]
    const runs = await Promise.all(
      clients.map((client) => world.run(addArgs(uniqueName('Parallel'), client))),
    )
    expect(runs.map((run) => run.status)).toEqual([0, 0, 0])
    const ids = runs.map((run) => run.stdout.trim())

    const listed = await world.run(['list', '--json'])
    const credentials = JSON.parse(listed.stdout) as Array<{ id: string; clientId: string }>
    expect(credentials.map((c) => c.id).sort()).toEqual([...ids].sort())
    expect(credentials.map((c) => c.clientId).sort()).toEqual(clients.map((c) => c.clientId).sort())
    expect(Object.keys(world.state().tenants)).toHaveLength(3)
    for (const id of ids) expect(await keychain.get(id)).not.toBeNull()
    const audit = readFileSync(join(world.dataDir, AUDIT_FILE_NAME), 'utf8').trim().split('\n')
    expect(audit.map((line) => JSON.parse(line).kind)).toEqual(Array(3).fill('credential.added'))
  })

  it('lets only one of two processes adding the same Client ID at once succeed', async () => {
    const first = world.newClient()
    const second = { ...world.newClient(), clientId: first.clientId }
    const runs = await Promise.all([
      world.run(addArgs(uniqueName('Racer'), first)),
      world.run(addArgs(uniqueName('Racer'), second)),
    ])
    expect(runs.map((run) => run.status).sort()).toEqual([0, 1])
    const loser = runs.find((run) => run.status === 1)
    expect(loser?.stderr).toContain('This Client ID is already used by the credential')

    const credentials = Object.values(world.state().credentials)
    expect(credentials).toHaveLength(1)
    const tenantId = credentials[0]?.tenantId
    expect(Object.keys(world.state().tenants)).toEqual([tenantId])
    // The loser may have made its tenant's database before the locked check refused it.
    const databases = readdirSync(join(world.dataDir, 'tenants')).filter((f) =>
      f.endsWith('.sqlite'),
    )
    expect(databases).toEqual([`${tenantId}.sqlite`])
  })
})
