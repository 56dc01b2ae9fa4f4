// Apple's orgDevices resource → the device row the tenant database keeps. Read tolerantly, as
// apple-api-sync.md §4 asks: any key may be missing, identifiers come as a string or an array,
// timestamps with or without milliseconds, and attributes Apple adds later are kept in the raw
// JSON without breaking anything.
import { IDENTIFIER_FIELDS, type IdentifierField } from '../tenants/identifiers'
import { normalizeIsoDate } from '../tenants/dates'

/** The attributes asked for on every page (`fields[orgDevices]`). */
export const ORG_DEVICE_FIELDS = [
  'serialNumber',
  'addedToOrgDateTime',
  'releasedFromOrgDateTime',
  'updatedDateTime',
  'orderDateTime',
  'deviceModel',
  'productFamily',
  'productType',
  'deviceCapacity',
  'color',
  'partNumber',
  'orderNumber',
  'status',
  'purchaseSourceType',
  'purchaseSourceId',
  'imei',
  'meid',
  'eid',
  'wifiMacAddress',
  'bluetoothMacAddress',
  'ethernetMacAddress',
] as const

export interface ApiDevice {
  serial: string
  model: string | null
  family: string | null
  productType: string | null
  capacity: string | null
  color: string | null
  status: string | null
  orderNumber: string | null
  orderDate: string | null
  partNumber: string | null
  purchaseSourceType: string | null
  purchaseSourceId: string | null
  addedToOrg: string | null
  releasedFromOrg: string | null
  updatedAt: string | null
  /** JSON of { imei, meid, eid, wifiMac, bluetoothMac, ethernetMac }: arrays of strings. */
  identifiers: string
  /** Apple's attributes as they came, for fields this version does not know yet. */
  raw: string
}

// Serial numbers are short letters and digits; anything else is not a row key we can trust.
const SERIAL = /^[A-Za-z0-9-]{1,64}$/
const MAX_TEXT = 500

// Each list's attribute at Apple.
const IDENTIFIERS: Record<IdentifierField, string> = {
  imei: 'imei',
  meid: 'meid',
  eid: 'eid',
  wifiMac: 'wifiMacAddress',
  bluetoothMac: 'bluetoothMacAddress',
  ethernetMac: 'ethernetMacAddress',
}

/** The device in one element of `data`, or undefined when it carries no usable serial number. */
export function readOrgDevice(resource: unknown): ApiDevice | undefined {
  if (!isRecord(resource)) return undefined
  const attributes = isRecord(resource.attributes) ? resource.attributes : {}
  const serial = text(attributes.serialNumber) ?? text(resource.id)
  if (!serial || !SERIAL.test(serial)) return undefined
  const identifiers = Object.fromEntries(
    IDENTIFIER_FIELDS.map((name) => [name, list(attributes[IDENTIFIERS[name]])]),
  )
  return {
    serial,
    model: text(attributes.deviceModel),
    family: text(attributes.productFamily),
    productType: text(attributes.productType),
    capacity: text(attributes.deviceCapacity),
    color: text(attributes.color),
    status: text(attributes.status),
    orderNumber: text(attributes.orderNumber),
    orderDate: timestamp(attributes.orderDateTime),
    partNumber: text(attributes.partNumber),
    purchaseSourceType: text(attributes.purchaseSourceType),
    // Apple's own example spells it purchaseSourceUid.
    purchaseSourceId: text(attributes.purchaseSourceId) ?? text(attributes.purchaseSourceUid),
    addedToOrg: timestamp(attributes.addedToOrgDateTime),
    releasedFromOrg: timestamp(attributes.releasedFromOrgDateTime),
    updatedAt: timestamp(attributes.updatedDateTime),
    identifiers: JSON.stringify(identifiers),
    raw: JSON.stringify(attributes),
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A non-empty string of printable text, bounded; anything else is "no value". */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const cleaned = value.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()
  if (cleaned === '') return null
  return cleaned.length > MAX_TEXT ? cleaned.slice(0, MAX_TEXT) : cleaned
}

export function timestamp(value: unknown): string | null {
  const raw = text(value)
  return raw === null ? null : (normalizeIsoDate(raw) ?? null)
}

function list(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value]
  return values.map(text).filter((item): item is string => item !== null)
}
