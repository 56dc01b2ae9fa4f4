// Seeded org fixtures with the quirks Apple's answers are known to have (apple-api-sync.md §4,
// §13): six product families, three purchase sources, both statuses, milliseconds only on
// `addedToOrgDateTime`/`updatedDateTime`, identifiers as a string or an array, omitted keys, one
// `purchaseSourceUid` spelling and one attribute no client knows yet (`futureField`).
import type { Scope } from '../../../preload/model'
import type {
  AppleCareAttributes,
  AppleCareRecord,
  FakeCoverage,
  FakeDevice,
  FakeMdmServer,
  FakeOrgInput,
} from './types'
import { seededRandom } from '../mutate'

const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS
const FIRST_ADDED = Date.UTC(2024, 0, 8, 9, 0, 0)
const SERIAL_ALPHABET = '0123456789CDFGHJKLMNPQRTVWXY'

interface Family {
  productFamily: string
  models: Array<[deviceModel: string, productType: string]>
  cellular: boolean
  ethernet: boolean
}

const FAMILIES: Family[] = [
  {
    productFamily: 'iPhone',
    models: [
      ['iPhone 16 Pro', 'iPhone17,1'],
      ['iPhone 15', 'iPhone15,4'],
    ],
    cellular: true,
    ethernet: false,
  },
  {
    productFamily: 'iPad',
    models: [
      ['iPad Air 11-inch (M2)', 'iPad14,8'],
      ['iPad (10th generation)', 'iPad13,18'],
    ],
    cellular: true,
    ethernet: false,
  },
  {
    productFamily: 'Mac',
    models: [
      ['MacBook Pro (14-inch, M4)', 'Mac16,1'],
      ['Mac mini (2024)', 'Mac16,10'],
    ],
    cellular: false,
    ethernet: true,
  },
  {
    productFamily: 'AppleTV',
    models: [['Apple TV 4K (3rd generation)', 'AppleTV14,1']],
    cellular: false,
    ethernet: true,
  },
  {
    productFamily: 'Watch',
    models: [['Apple Watch Series 10', 'Watch7,8']],
    cellular: true,
    ethernet: false,
  },
  {
    productFamily: 'Vision',
    models: [['Apple Vision Pro', 'RealityDevice14,1']],
    cellular: false,
    ethernet: false,
  },
]

const PURCHASE_SOURCES = ['APPLE', 'RESELLER', 'MANUALLY_ADDED'] as const
const COLORS = ['SPACE BLACK', 'SILVER', 'STARLIGHT', 'BLUE']
const CAPACITIES = ['64GB', '128GB', '256GB', '512GB', '1TB']

/** ISO-8601 UTC with milliseconds, as Apple sends the two change times. */
const withMs = (ms: number): string => new Date(ms).toISOString()
/** ISO-8601 UTC without milliseconds, as Apple sends every other time. */
const withoutMs = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

export function makeFakeDevices(count: number, seed = 1): FakeDevice[] {
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const digits = (length: number): string =>
    Array.from({ length }, () => Math.floor(random() * 10)).join('')
  const mac = (): string =>
    Array.from({ length: 6 }, () =>
      Math.floor(random() * 256)
        .toString(16)
        .padStart(2, '0'),
    ).join(':')
  const serials = new Set<string>()
  const devices: FakeDevice[] = []
  for (let index = 0; index < count; index++) {
    let serial: string
    do {
      serial = Array.from({ length: 12 }, () => pick([...SERIAL_ALPHABET])).join('')
    } while (serials.has(serial))
    serials.add(serial)
    const family = FAMILIES[index % FAMILIES.length] as Family
    const [deviceModel, productType] = pick(family.models)
    const source = PURCHASE_SOURCES[Math.floor(index / 2) % PURCHASE_SOURCES.length]
    // One hour apart, at a random instant of that hour, so the milliseconds are rarely .000.
    const added = FIRST_ADDED + index * HOUR_MS + Math.floor(random() * HOUR_MS)
    const updated = added + Math.floor(random() * 90 * DAY_MS) + 1
    const attributes: FakeDevice['attributes'] = {
      serialNumber: serial,
      addedToOrgDateTime: withMs(added),
      updatedDateTime: withMs(updated),
      deviceModel,
      productFamily: family.productFamily,
      productType,
      status: Math.floor(index / 3) % 2 === 0 ? 'ASSIGNED' : 'UNASSIGNED',
      orderDateTime: withoutMs(added - Math.floor(random() * 5 + 1) * DAY_MS),
      purchaseSourceType: source,
      wifiMacAddress: index % 7 === 3 ? [mac()] : mac(),
      bluetoothMacAddress: mac(),
    }
    // Observed records leave keys out: every fifth has no colour, capacity or part number.
    if (index % 5 !== 4) {
      // Apple sends an empty colour for some devices.
      attributes.color = index % 10 === 3 ? '' : pick(COLORS)
      attributes.deviceCapacity = pick(CAPACITIES)
      attributes.partNumber = `M${digits(3)}LL/A`
      attributes.orderNumber = `ORD${digits(8)}`
    }
    if (source !== 'MANUALLY_ADDED') attributes.purchaseSourceId = `-${digits(16)}`
    if (family.cellular && index % 4 !== 2) {
      const imei = digits(15)
      attributes.imei = index % 3 === 0 ? imei : [imei, digits(15)]
      attributes.eid = digits(32)
      if (family.productFamily === 'iPhone')
        attributes.meid = index % 8 === 0 ? [digits(14)] : digits(14)
    }
    if (family.ethernet)
      attributes.ethernetMacAddress = index % 3 === 0 ? mac() : index % 3 === 1 ? [mac()] : []
    devices.push({ id: serial, attributes })
  }
  const uid = devices[1]?.attributes
  if (uid) {
    // Apple's own example spells it purchaseSourceUid.
    uid.purchaseSourceUid = uid.purchaseSourceId ?? `-${digits(16)}`
    delete uid.purchaseSourceId
  }
  const future = devices[2]?.attributes
  if (future) future.futureField = { note: 'an attribute added after this client was written' }
  return devices
}

/** The coverage kinds §13 lists, dealt to devices in turn. */
export const COVERAGE_KINDS = [
  'limitedWarrantyActive',
  'warrantyExpiredAppleCarePaidUpFront',
  'appleCareSubscription',
  'appleCareCanceled',
  'appleCareForBusiness',
  'empty',
  'notFound',
] as const
export type CoverageKind = (typeof COVERAGE_KINDS)[number]

/**
 * Coverage for each device, the kinds of COVERAGE_KINDS in turn. Dates are relative to `asOf`
 * (default: today, midnight UTC) so an ACTIVE plan really is running.
 */
export function makeFakeCoverage(
  devices: FakeDevice[],
  asOf: Date = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS),
): Record<string, FakeCoverage> {
  const coverage: Record<string, FakeCoverage> = {}
  devices.forEach((device, index) => {
    const kind = COVERAGE_KINDS[index % COVERAGE_KINDS.length] as CoverageKind
    coverage[device.attributes.serialNumber] = coverageOfKind(
      kind,
      device.attributes.serialNumber,
      String(index + 1).padStart(10, '0'),
      asOf.getTime(),
    )
  })
  return coverage
}

export function coverageOfKind(
  kind: CoverageKind,
  serial: string,
  agreementNumber: string,
  asOf: number,
): FakeCoverage {
  const day = (offset: number): string => withoutMs(asOf + offset * DAY_MS)
  const warranty = (status: 'ACTIVE' | 'INACTIVE', start: number): AppleCareRecord => ({
    id: serial,
    attributes: plan({
      description: 'Limited Warranty',
      status,
      paymentType: 'NONE',
      startDateTime: day(start),
      endDateTime: day(start + 365),
    }),
  })
  const appleCare = (
    paymentType: 'PAID_UP_FRONT' | 'SUBSCRIPTION',
    [start, end]: [number, number],
    extra: Partial<AppleCareAttributes> = {},
  ): AppleCareRecord => ({
    id: agreementNumber,
    attributes: plan({
      description: 'AppleCare+',
      status: 'ACTIVE',
      paymentType,
      startDateTime: day(start),
      endDateTime: day(end),
      agreementNumber,
      ...extra,
    }),
  })
  switch (kind) {
    case 'limitedWarrantyActive':
      return { records: [warranty('ACTIVE', -100)] }
    case 'warrantyExpiredAppleCarePaidUpFront':
      return { records: [warranty('INACTIVE', -500), appleCare('PAID_UP_FRONT', [-500, 595])] }
    case 'appleCareSubscription':
      return { records: [appleCare('SUBSCRIPTION', [-335, 30], { isRenewable: true })] }
    case 'appleCareCanceled': {
      // Canceled ten days ago, though its end date is still ahead: it counts as ended.
      const canceled = { isCanceled: true, contractCancelDateTime: day(-10) }
      return {
        records: [warranty('INACTIVE', -400), appleCare('SUBSCRIPTION', [-400, 200], canceled)],
      }
    }
    case 'appleCareForBusiness':
      return {
        records: [
          {
            id: `abe-${serial}`,
            attributes: plan({
              description: 'AppleCare+ for Business',
              status: 'ACTIVE',
              paymentType: 'ABE_SUBSCRIPTION',
              startDateTime: day(-60),
              endDateTime: null,
              isRenewable: true,
            }),
          },
        ],
      }
    case 'empty':
      return 'empty'
    case 'notFound':
      return 'notFound'
  }
}

function plan(attributes: Partial<AppleCareAttributes>): AppleCareAttributes {
  return {
    description: '',
    status: 'ACTIVE',
    paymentType: 'NONE',
    startDateTime: '',
    endDateTime: null,
    agreementNumber: null,
    isRenewable: false,
    isCanceled: false,
    contractCancelDateTime: null,
    ...attributes,
  }
}

export function makeFakeServers(count: number): FakeMdmServer[] {
  return Array.from({ length: count }, (_, index) => {
    const created = withMs(FIRST_ADDED - (index + 30) * DAY_MS)
    return {
      id: (0x1f0a9b3c7d + index).toString(16).toUpperCase().padStart(32, '0'),
      attributes: {
        serverName: `Fake MDM ${index + 1}`,
        serverType: 'MDM',
        status: 'ACTIVE',
        enableMdmDisownFlag: false,
        defaultProductFamilies: index === 0 ? ['iPhone', 'iPad'] : ['Mac'],
        lastConnectedDateTime: withMs(FIRST_ADDED + 400 * DAY_MS),
        lastConnectedIp: `192.0.2.${index + 10}`,
        createdDateTime: created,
        updatedDateTime: created,
      },
    }
  })
}

/** 25 devices, every coverage kind, 2 MDM servers (a third of the devices on each, a third on none). */
export function smallOrgFixture(scope: Scope = 'business', seed = 1): FakeOrgInput {
  const devices = makeFakeDevices(25, seed)
  const servers = makeFakeServers(2)
  const assignments: Record<string, string> = {}
  devices.forEach((device, index) => {
    const server = servers[index % 3]
    if (server) assignments[device.attributes.serialNumber] = server.id
  })
  return { scope, devices, coverage: makeFakeCoverage(devices), servers, assignments }
}

export const PAGING_ORG_DEVICES = 2345
/** Server 1 of the paging org holds this many devices: more than one linkage page of 1000. */
export const PAGING_ORG_LARGE_SERVER_DEVICES = 1200

/** 2,345 devices (3 pages at 1000, 24 at 100); server 1 holds 1,200 of them, server 2 a few. */
export function pagingOrgFixture(scope: Scope = 'business', seed = 2): FakeOrgInput {
  const devices = makeFakeDevices(PAGING_ORG_DEVICES, seed)
  const [large, small] = makeFakeServers(2) as [FakeMdmServer, FakeMdmServer]
  const assignments: Record<string, string> = {}
  devices.forEach((device, index) => {
    const serial = device.attributes.serialNumber
    if (index < 1500 && index % 5 !== 4) assignments[serial] = large.id
    else if (index >= 1500 && index % 2 === 0) assignments[serial] = small.id
  })
  return {
    scope,
    devices,
    coverage: makeFakeCoverage(devices),
    servers: [large, small],
    assignments,
  }
}
