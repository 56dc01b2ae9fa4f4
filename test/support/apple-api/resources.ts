// Apple's JSON:API shapes for what the fake serves: resources, `fields` filtering, paged bodies.
import type { CursorCodec } from './cursor'
import type { AppleCareRecord, FakeMdmServer } from './types'

/** The names `fields[orgDevices]` accepts (ABM 2.4, without the three migration fields). */
export const ORG_DEVICE_FIELDS = new Set([
  'serialNumber',
  'addedToOrgDateTime',
  'releasedFromOrgDateTime',
  'updatedDateTime',
  'orderDateTime',
  'deviceModel',
  'deviceCapacity',
  'color',
  'partNumber',
  'orderNumber',
  'eid',
  'productFamily',
  'productType',
  'status',
  'purchaseSourceType',
  'purchaseSourceId',
  'imei',
  'meid',
  'ethernetMacAddress',
  'wifiMacAddress',
  'bluetoothMacAddress',
  'assignedServer',
  'appleCareCoverage',
])

export const COVERAGE_FIELDS = new Set([
  'status',
  'paymentType',
  'description',
  'agreementNumber',
  'startDateTime',
  'endDateTime',
  'isRenewable',
  'isCanceled',
  'contractCancelDateTime',
])

export const MDM_SERVER_FIELDS = new Set([
  'serverName',
  'serverType',
  'status',
  'deviceCount',
  'enableMdmDisownFlag',
  'defaultProductFamilies',
  'lastConnectedDateTime',
  'lastConnectedIp',
  'createdDateTime',
  'updatedDateTime',
  'devices',
])

export const ACTIVATION_LOCK_FIELDS = new Set(['isLocked', 'lockType'])

/** Without `fields[mdmServers]` Apple's default subset leaves these out. */
const NOT_IN_DEFAULT_SERVER_FIELDS = new Set(['lastConnectedDateTime', 'lastConnectedIp'])

/**
 * The attributes a `fields` list keeps. Attributes the list cannot name (one Apple added since,
 * like `futureField`, or the `purchaseSourceUid` spelling) are always sent, as a new attribute
 * would be: that is the case a tolerant parser has to meet.
 */
export function pickFields(
  attributes: Record<string, unknown>,
  fields: Set<string> | undefined,
  nameable: Set<string>,
): Record<string, unknown> {
  if (!fields) return { ...attributes }
  return Object.fromEntries(
    Object.entries(attributes).filter(([name]) => fields.has(name) || !nameable.has(name)),
  )
}

export interface DeviceView {
  serial: string
  attributes: Record<string, unknown>
  releasedAt: string | null
}

export function deviceResource(
  device: DeviceView,
  base: string,
  fields: Set<string> | undefined,
): object {
  const self = `${base}/v1/orgDevices/${device.serial}`
  const attributes = pickFields(
    { ...device.attributes, releasedFromOrgDateTime: device.releasedAt },
    fields,
    ORG_DEVICE_FIELDS,
  )
  const relationships: Record<string, object> = {}
  if (fields?.has('assignedServer')) {
    relationships.assignedServer = {
      links: { self: `${self}/relationships/assignedServer`, related: `${self}/assignedServer` },
    }
  }
  if (fields?.has('appleCareCoverage')) {
    relationships.appleCareCoverage = { links: { related: `${self}/appleCareCoverage` } }
  }
  return {
    type: 'orgDevices',
    id: device.serial,
    attributes,
    ...(Object.keys(relationships).length > 0 ? { relationships } : {}),
    links: { self },
  }
}

export function coverageResource(record: AppleCareRecord, fields: Set<string> | undefined): object {
  return {
    type: 'appleCareCoverage',
    id: record.id,
    attributes: pickFields({ ...record.attributes }, fields, COVERAGE_FIELDS),
  }
}

export function serverResource(
  server: FakeMdmServer,
  deviceCount: number,
  base: string,
  fields: Set<string> | undefined,
): object {
  const all = { ...server.attributes, deviceCount }
  const attributes = fields
    ? pickFields(all, fields, MDM_SERVER_FIELDS)
    : Object.fromEntries(
        Object.entries(all).filter(([name]) => !NOT_IN_DEFAULT_SERVER_FIELDS.has(name)),
      )
  const self = `${base}/v1/mdmServers/${server.id}`
  return {
    type: 'mdmServers',
    id: server.id,
    attributes,
    relationships: {
      devices: {
        links: { self: `${self}/relationships/devices`, related: `${self}/devices` },
      },
    },
    links: { self },
  }
}

export interface PageRequest {
  limit: number
  /** 1-based page of the walk. */
  page: number
  /** The page starts after this key; undefined on the first page. */
  after?: number
}

export interface Page<T> {
  items: T[]
  nextCursor?: string
  total: number
}

/** One page of `items`, ordered by `keyOf` ascending; a cursor when more follow. */
export function pageOf<T>(
  items: T[],
  keyOf: (item: T, index: number) => number,
  request: PageRequest,
  cursors: CursorCodec,
): Page<T> {
  const keyed = items.map((item, index) => ({ item, key: keyOf(item, index) }))
  const after = request.after
  const rest = after === undefined ? keyed : keyed.filter((k) => k.key > after)
  const taken = rest.slice(0, request.limit)
  const last = taken.at(-1)
  const page: Page<T> = { items: taken.map((k) => k.item), total: items.length }
  if (rest.length > taken.length && last) {
    page.nextCursor = cursors.encode({ page: request.page + 1, after: last.key })
  }
  return page
}

/** `{data, links:{self, next?}, meta:{paging:{limit, nextCursor?, total?}}}`; `next` is cursor-only. */
export function pagedBody(
  data: object[],
  page: Page<unknown>,
  options: {
    self: string
    /** The route's URL without a query, on which `links.next` is built. */
    base: string
    limit: number
    withTotal: boolean
    extraLinks?: Record<string, string>
  },
): object {
  const links: Record<string, string> = { self: options.self, ...options.extraLinks }
  const paging: Record<string, unknown> = { limit: options.limit }
  if (page.nextCursor) {
    links.next = `${options.base}?cursor=${page.nextCursor}`
    paging.nextCursor = page.nextCursor
  }
  if (options.withTotal) paging.total = page.total
  return { data, links, meta: { paging } }
}
