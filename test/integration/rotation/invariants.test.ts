// checkInvariants must see each kind of damage, or the rotation tests that expect it to be empty
// would prove nothing.
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkInvariants } from '../../../main/rotation/invariants'
import {
  createRotationWorld,
  disposeRotationWorld,
  seedTenant,
  type RotationWorld,
  type SeededTenant,
} from '../../support/rotation-world'

const SERVICE = `AxM rotation invariants test ${process.pid}`

let world: RotationWorld
let tenant: SeededTenant

beforeEach(async () => {
  world = createRotationWorld(SERVICE)
  tenant = await seedTenant(world, { devices: 1 })
})
afterEach(() => disposeRotationWorld(world))

describe('checkInvariants', () => {
  it('finds nothing wrong with a tenant and its one active credential', async () => {
    expect(await checkInvariants(world)).toEqual([])
  })

  it('finds a keychain item no usable credential owns', async () => {
    await world.secrets.set('stray', tenant.key.parsed.pkcs8Pem)
    expect(await checkInvariants(world)).toEqual([
      'keychain item stray belongs to no usable credential',
    ])
  })

  it('finds an active credential without its key', async () => {
    await world.secrets.delete(tenant.credential.id)
    expect(await checkInvariants(world)).toEqual([
      `active credential ${tenant.credential.id} has no keychain item`,
    ])
  })

  it('finds a second active credential, a pending one and a leftover journal', async () => {
    const second = { ...tenant.credential, id: randomUUID() }
    const pending = { ...tenant.credential, id: randomUUID(), status: 'pending' as const }
    await world.secrets.set(second.id, 'x')
    await world.secrets.set(pending.id, 'x')
    await world.state.update((state) => {
      state.credentials[second.id] = second
      state.credentials[pending.id] = pending
      state.rotations.leftover = { runId: 'leftover' }
    })

    expect(await checkInvariants(world)).toEqual([
      `tenant ${tenant.tenantId} has 2 active credentials, not 1`,
      `credential ${pending.id} is still pending`,
      'rotation journal leftover is left over',
    ])
  })

  it('finds a tenant bound to a credential that is not active, or to none while one is', async () => {
    await world.state.update((state) => {
      const credential = state.credentials[tenant.credential.id]
      if (credential) credential.status = 'retired'
    })
    await world.secrets.delete(tenant.credential.id)
    expect(await checkInvariants(world)).toEqual([
      `tenant ${tenant.tenantId} has 0 active credentials, not 1`,
      `tenant ${tenant.tenantId} is bound to ${tenant.credential.id}, which is not its active credential`,
    ])

    await world.state.update((state) => {
      const credential = state.credentials[tenant.credential.id]
      if (credential) credential.status = 'active'
      const bound = state.tenants[tenant.tenantId]
      if (bound) bound.activeCredentialId = null
    })
    await world.secrets.set(tenant.credential.id, tenant.key.parsed.pkcs8Pem)
    expect(await checkInvariants(world)).toEqual([
      `tenant ${tenant.tenantId} has 1 active credentials, not 0`,
    ])
  })
})
