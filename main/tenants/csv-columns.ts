// Which CSV column feeds which field. Headers are matched on their letters and digits only, case
// ignored ("Product Family", "product_family" and "PRODUCT-FAMILY" are one column), so ABM
// Warranty's export, our own export and hand-made spreadsheets all import. Unknown columns are
// ignored.
import { CsvImportError } from './errors'
import type { IdentifierField } from './identifiers'

export type DeviceField =
  | 'serial'
  | 'make'
  | 'model'
  | 'family'
  | 'productType'
  | 'status'
  | 'orderNumber'
  | 'partNumber'
  | 'addedToOrg'
  | 'releasedFromOrg'
  | 'firstSeen'
  | 'lastSeen'
  | 'inactive'
  | 'color'
  | 'capacity'
  | 'orderDate'
  | 'purchaseSourceType'
  | 'purchaseSourceId'
  | IdentifierField

/** The fields that are one text (or date) each. */
export type DeviceTextField = Exclude<DeviceField, 'serial' | 'inactive' | IdentifierField>

export type CoverageField =
  'kind' | 'description' | 'agreementId' | 'status' | 'paymentType' | 'start' | 'end' | 'canceled'

const DEVICE_HEADERS: Record<DeviceField, readonly string[]> = {
  serial: ['serial', 'serialnumber'],
  make: ['make'],
  model: ['model'],
  family: ['productfamily', 'family'],
  productType: ['producttype'],
  status: ['status'],
  orderNumber: ['ordernumber'],
  partNumber: ['partnumber'],
  addedToOrg: ['addedtoorgdatetime', 'addedtoorg'],
  releasedFromOrg: ['releasedfromorgdatetime', 'releasedfromorg'],
  firstSeen: ['firstseen'],
  lastSeen: ['lastseen'],
  inactive: ['inactive'],
  color: ['color', 'colour'],
  capacity: ['capacity', 'devicecapacity'],
  orderDate: ['orderdatetime', 'orderdate'],
  purchaseSourceType: ['purchasesourcetype'],
  purchaseSourceId: ['purchasesourceid', 'purchasesourceuid'],
  imei: ['imei'],
  meid: ['meid'],
  eid: ['eid'],
  wifiMac: ['wifimacaddress', 'wifimac'],
  bluetoothMac: ['bluetoothmacaddress', 'bluetoothmac'],
  ethernetMac: ['ethernetmacaddress', 'ethernetmac'],
}

/** The kind and description ABM Warranty's fixed coverage columns stand for. */
export interface FixedCoverage {
  kind: string
  description: string
}

interface CoverageSlot {
  fixed?: FixedCoverage
  headers: Partial<Record<CoverageField, readonly string[]>>
}

// A row can hold several coverage records: ABM Warranty has one column pair per coverage kind,
// our own export has one generic set of coverage columns per row.
const COVERAGE_SLOTS: readonly CoverageSlot[] = [
  {
    fixed: { kind: 'Limited Warranty', description: 'Limited Warranty' },
    headers: { start: ['standardstart'], end: ['standardend'] },
  },
  {
    fixed: { kind: 'AppleCare+', description: 'AppleCare+' },
    headers: { start: ['acstart', 'applecarestart'], end: ['acend', 'applecareend'] },
  },
  {
    headers: {
      kind: ['coveragekind'],
      description: ['coveragedescription'],
      agreementId: ['coverageagreementid'],
      status: ['coveragestatus'],
      paymentType: ['coveragepaymenttype'],
      start: ['coveragestart'],
      end: ['coverageend'],
      canceled: ['coveragecanceled'],
    },
  },
]

/** A column of the file: where it is, and its header as written there (for messages). */
export interface Column {
  index: number
  header: string
}

export interface CoverageColumns {
  fixed?: FixedCoverage
  columns: Partial<Record<CoverageField, Column>>
}

export interface ColumnMap {
  device: Partial<Record<DeviceField, Column>> & { serial: Column }
  coverage: CoverageColumns[]
}

type Target = { slot: 'device'; field: DeviceField } | { slot: number; field: CoverageField }

const TARGETS: ReadonlyMap<string, Target> = new Map([
  ...Object.entries(DEVICE_HEADERS).flatMap(([field, names]) =>
    names.map((name): [string, Target] => [name, { slot: 'device', field: field as DeviceField }]),
  ),
  ...COVERAGE_SLOTS.flatMap((slot, index) =>
    Object.entries(slot.headers).flatMap(([field, names]) =>
      names.map((name): [string, Target] => [name, { slot: index, field: field as CoverageField }]),
    ),
  ),
])

export function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** Maps a header row to fields; refuses a file without a Serial column or with a field twice. */
export function mapColumns(header: readonly string[]): ColumnMap {
  const device: Partial<Record<DeviceField, Column>> = {}
  const coverage = COVERAGE_SLOTS.map((slot): CoverageColumns => ({
    fixed: slot.fixed,
    columns: {},
  }))
  const seen = new Map<string, string>()
  header.forEach((text, index) => {
    const target = TARGETS.get(normalizeHeader(text))
    if (!target) return
    const key = `${target.slot}.${target.field}`
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      throw new CsvImportError(
        `The columns "${earlier}" and "${text}" hold the same field. Remove one of them and import again; nothing was imported.`,
      )
    }
    seen.set(key, text)
    const column = { index, header: text.trim() }
    if (target.slot === 'device') device[target.field] = column
    else coverage[target.slot]!.columns[target.field] = column
  })
  const { serial } = device
  if (!serial) {
    const found = header.slice(0, 12).map((text) => `"${text.trim()}"`)
    throw new CsvImportError(
      `The file has no Serial column, so its rows cannot be matched to devices. Columns found: ${found.join(', ')}. Nothing was imported.`,
    )
  }
  return {
    device: { ...device, serial },
    coverage: coverage.filter((slot) => Object.keys(slot.columns).length > 0),
  }
}
