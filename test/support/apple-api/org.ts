// One organisation's inventory as Apple holds it, and the changes a test makes between or during
// runs (release, purge, add, touch, coverage, assignment).
import type { Scope } from '../../../preload/model'
import type { ClientRegistration } from '../oauth-token-check'
import type {
  FakeActivationLock,
  FakeCoverage,
  FakeDevice,
  FakeMdmServer,
  FakeOrg,
  FakeOrgInput,
} from './types'

const UNLOCKED: FakeActivationLock = { isLocked: false, lockType: 'NONE' }

/** List keys look like Apple's cursor times (epoch ms); each new device gets the next one. */
const FIRST_LIST_KEY = 1_746_113_892_590

interface Entry {
  device: FakeDevice
  /** Position in the list; a device added (or brought back) later sorts after every other. */
  key: number
  state: 'active' | 'released' | 'purged'
  releasedAt: string | null
}

export interface AuditEvent {
  id: string
  at: string
  serial: string
}

export class OrgState implements FakeOrg {
  readonly #entries = new Map<string, Entry>()
  readonly #coverage = new Map<string, FakeCoverage>()
  readonly #assignments = new Map<string, string>()
  readonly #activationLocks = new Map<string, FakeActivationLock>()
  readonly servers: FakeMdmServer[]
  readonly auditEvents: AuditEvent[] = []
  readonly #registerClient: (client: ClientRegistration, org: OrgState) => void
  #nextKey = FIRST_LIST_KEY

  /** The input is copied: a fixture can seed several orgs, and changing one leaves it alone. */
  constructor(
    readonly id: string,
    readonly scope: Scope,
    input: FakeOrgInput,
    registerClient: (client: ClientRegistration, org: OrgState) => void,
  ) {
    this.#registerClient = registerClient
    for (const device of input.devices) this.add(device)
    for (const [serial, coverage] of Object.entries(input.coverage ?? {})) {
      this.setCoverage(serial, coverage)
    }
    this.servers = (input.servers ?? []).map((server) => structuredClone(server))
    for (const [serial, serverId] of Object.entries(input.assignments ?? {})) {
      this.assign(serial, serverId)
    }
  }

  addClient(client: ClientRegistration): void {
    this.#registerClient(client, this)
  }

  release(serial: string, at: Date = new Date()): void {
    const entry = this.#entry(serial)
    if (entry.state !== 'active') throw new Error(`${serial} is not on ${this.id}'s list`)
    entry.state = 'released'
    entry.releasedAt = at.toISOString()
    this.auditEvents.push({
      id: `event-${this.auditEvents.length + 1}`,
      at: entry.releasedAt,
      serial,
    })
  }

  purge(serial: string): void {
    this.#entry(serial).state = 'purged'
  }

  add(device: FakeDevice): void {
    const serial = device.attributes.serialNumber
    // Deleting first moves a returning device to the end of the map, which is the list order.
    this.#entries.delete(serial)
    this.#entries.set(serial, {
      device: structuredClone(device),
      key: this.#nextKey++,
      state: 'active',
      releasedAt: null,
    })
  }

  setCoverage(serial: string, coverage: FakeCoverage): void {
    this.#coverage.set(serial, structuredClone(coverage))
  }

  assign(serial: string, serverId: string | null): void {
    if (serverId === null) {
      this.#assignments.delete(serial)
      return
    }
    if (!this.server(serverId)) throw new Error(`${this.id} has no MDM server ${serverId}`)
    this.#assignments.set(serial, serverId)
  }

  setActivationLock(serial: string, lock: FakeActivationLock): void {
    this.#activationLocks.set(serial, { ...lock })
  }

  touch(serial: string): void {
    const attributes = this.#entry(serial).device.attributes
    const previous = Date.parse(String(attributes.updatedDateTime ?? '')) || 0
    attributes.updatedDateTime = new Date(Math.max(Date.now(), previous + 1)).toISOString()
  }

  devices(): FakeDevice[] {
    return this.listed().map((entry) => structuredClone(entry.device))
  }

  /** Devices on the list (not released or purged), in list order. */
  listed(): Entry[] {
    return [...this.#entries.values()].filter((entry) => entry.state === 'active')
  }

  /** A device the single read knows: on the list or released; purged and unknown ones are not. */
  readable(serial: string): Entry | undefined {
    const entry = this.#entries.get(serial)
    return entry && entry.state !== 'purged' ? entry : undefined
  }

  coverageOf(serial: string): FakeCoverage {
    return this.#coverage.get(serial) ?? 'empty'
  }

  activationLockOf(serial: string): FakeActivationLock {
    return this.#activationLocks.get(serial) ?? UNLOCKED
  }

  server(id: string): FakeMdmServer | undefined {
    return this.servers.find((server) => server.id === id)
  }

  serverOf(serial: string): FakeMdmServer | undefined {
    const serverId = this.#assignments.get(serial)
    return serverId === undefined ? undefined : this.server(serverId)
  }

  /** The devices on the list that are assigned to a server, in list order. */
  assignedTo(serverId: string): Entry[] {
    return this.listed().filter(
      (entry) => this.#assignments.get(entry.device.attributes.serialNumber) === serverId,
    )
  }

  #entry(serial: string): Entry {
    const entry = this.#entries.get(serial)
    if (!entry) throw new Error(`${this.id} has no device ${serial}`)
    return entry
  }
}
