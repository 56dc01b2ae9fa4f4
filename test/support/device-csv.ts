// Builds large tenant CSV files in our own export format (one row per coverage record) for tests,
// benches and e2e. Written with plain string joins, not the app's CSV writer, so it stays an
// independent source. Every value is derived from the device's index: the same arguments always
// give the same file.

export const DEVICE_CSV_HEADER = [
  'Serial',
  'Make',
  'Model',
  'Product Family',
  'Product Type',
  'Status',
  'Order Number',
  'Part Number',
  'Added To Org DateTime',
  'First Seen',
  'Last Seen',
  'Coverage Kind',
  'Coverage Description',
  'Coverage Agreement ID',
  'Coverage Status',
  'Coverage Payment Type',
  'Coverage Start',
  'Coverage End',
  'Coverage Canceled',
]

const MODELS: readonly [model: string, family: string, type: string][] = [
  ['MacBook Pro (14-inch, 2023)', 'Mac', 'Mac15,3'],
  ['iPad Air (5th generation)', 'iPad', 'iPad13,16'],
  ['iPhone 15', 'iPhone', 'iPhone15,4'],
  ['Mac mini (2023)', 'Mac', 'Mac14,3'],
  ['Apple TV 4K', 'AppleTV', 'AppleTV14,1'],
]

const COVERAGE_KINDS: readonly [kind: string, description: string, payment: string][] = [
  ['Limited Warranty', 'Limited Warranty', 'NONE'],
  ['AppleCare+', 'AppleCare+', 'PAID_UP_FRONT'],
  ['AppleCare+', 'AppleCare+ (renewed)', 'SUBSCRIPTION'],
]

/** One CSV cell, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

const DAY_MS = 86_400_000
const EPOCH = Date.UTC(2019, 0, 1)
const day = (offset: number): string => new Date(EPOCH + offset * DAY_MS).toISOString().slice(0, 10)

/** Serial of the device at `index`: 12 upper-case characters, in index order. */
export function deviceSerial(index: number): string {
  return `C${index.toString(36).toUpperCase().padStart(11, '0')}`
}

/**
 * A CSV of `devices` devices with `coveragePerDevice` coverage records each (0 gives one row per
 * device without coverage). Coverage ends spread over 2019–2031, so any `now` in between sees
 * devices in every state.
 */
export function generateDevicesCsv(devices: number, coveragePerDevice: number): string {
  return `${[...devicesCsvLines(devices, coveragePerDevice)].join('\r\n')}\r\n`
}

/** generateDevicesCsv line by line (no line ends), for files too large to hold as one string. */
export function* devicesCsvLines(
  devices: number,
  coveragePerDevice: number,
): Generator<string, void, undefined> {
  yield DEVICE_CSV_HEADER.map(cell).join(',')
  for (let index = 0; index < devices; index++) {
    const serial = deviceSerial(index)
    const [model, family, type] = MODELS[index % MODELS.length]!
    const added = day(index % 1500)
    const device = [serial, 'Apple', model, family, type, 'ASSIGNED', `ORD-${index % 997}`]
    device.push(`PART-${index % 31}`, `${added}T09:30:00.000Z`, `${added}T10:00:00.000Z`)
    device.push('2025-01-01T00:00:00.000Z')
    if (coveragePerDevice === 0)
      yield [...device, '', '', '', '', '', '', '', ''].map(cell).join(',')
    for (let record = 0; record < coveragePerDevice; record++) {
      const [kind, description, payment] = COVERAGE_KINDS[record % COVERAGE_KINDS.length]!
      const start = (index % 1500) + record * 365
      const end = start + 365 + ((index * 7919 + record * 104_729) % 1600)
      const agreement = kind === 'Limited Warranty' ? '' : `AGR-${serial}-${record}`
      const coverage = [kind, description, agreement, 'ACTIVE', payment, day(start), day(end)]
      const canceled = index % 50 === 0 && record === coveragePerDevice - 1
      yield [...device, ...coverage, String(canceled)].map(cell).join(',')
    }
  }
}
