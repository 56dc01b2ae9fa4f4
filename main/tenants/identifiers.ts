// A device's identifier lists (IMEI, MEID, EID, MAC addresses) as the tenant database keeps them:
// one JSON object in the `identifiers` column, a list per key (a dual-SIM phone has two IMEIs).
// The sync writes every key; a CSV import writes the keys its file has columns for.

export type IdentifierField = 'imei' | 'meid' | 'eid' | 'wifiMac' | 'bluetoothMac' | 'ethernetMac'

/** In the order the sync writes them. */
export const IDENTIFIER_FIELDS: readonly IdentifierField[] = [
  'imei',
  'meid',
  'eid',
  'wifiMac',
  'bluetoothMac',
  'ethernetMac',
]

/** The JSON of a device whose every list is empty. */
export const NO_IDENTIFIERS = JSON.stringify(
  Object.fromEntries(IDENTIFIER_FIELDS.map((field) => [field, []])),
)

/** The stored JSON's lists, read tolerantly: a missing key, a non-list or bad JSON is no values. */
export function identifierLists(json: string | null): Record<IdentifierField, string[]> {
  let parsed: unknown
  try {
    parsed = json === null ? null : JSON.parse(json)
  } catch {
    parsed = null
  }
  const record = typeof parsed === 'object' && parsed !== null ? parsed : {}
  return Object.fromEntries(
    IDENTIFIER_FIELDS.map((field) => {
      const values = (record as Record<string, unknown>)[field]
      return [field, Array.isArray(values) ? values.filter((v) => typeof v === 'string') : []]
    }),
  ) as Record<IdentifierField, string[]>
}
