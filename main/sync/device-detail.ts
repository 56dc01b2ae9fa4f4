// What the device panel shows of one device: its identity, order and assignment fields, the state
// of its coverage, and its coverage history (every record kept, newest end first).
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite'
import type { CoverageOutcome, DeviceDetail } from '../../preload/sync-model'
import { IDENTIFIER_FIELDS, identifierLists, type IdentifierField } from '../tenants/identifiers'
import { VaultError } from '../vault/errors'

const IDENTIFIER_LABELS: Record<IdentifierField, string> = {
  imei: 'IMEI',
  meid: 'MEID',
  eid: 'EID',
  wifiMac: 'Wi-Fi MAC address',
  bluetoothMac: 'Bluetooth MAC address',
  ethernetMac: 'Ethernet MAC address',
}

export function readDeviceDetail(db: DatabaseSync, serial: string): DeviceDetail {
  const row = db.prepare('SELECT * FROM devices WHERE serial = ?').get(serial)
  if (!row)
    throw new VaultError('not_found', `No device with serial number ${serial} in this tenant.`)
  const coverage = db
    .prepare(
      `SELECT * FROM coverage WHERE serial = ?
       ORDER BY end_date IS NULL DESC, end_date DESC, start_date DESC, coverage_key`,
    )
    .all(serial)
  const text = (value: SQLOutputValue | undefined): string | null =>
    typeof value === 'string' && value !== '' ? value : null
  return {
    serial,
    model: text(row.model),
    family: text(row.family),
    productType: text(row.product_type),
    color: text(row.color),
    capacity: text(row.capacity),
    status: text(row.status),
    orderNumber: text(row.order_number),
    orderDate: text(row.order_date),
    partNumber: text(row.part_number),
    purchaseSourceType: text(row.purchase_source_type),
    purchaseSourceId: text(row.purchase_source_id),
    addedToOrg: text(row.added_to_org),
    releasedFromOrg: text(row.released_from_org),
    updatedAt: text(row.updated_at),
    firstSeen: String(row.first_seen),
    lastSeen: String(row.last_seen),
    inactive: row.inactive === 1,
    identifiers: identifiers(text(row.identifiers)),
    coverageOutcome: (text(row.coverage_outcome) as CoverageOutcome | null) ?? null,
    coverageCheckedAt: text(row.coverage_checked_at),
    coverage: coverage.map((record) => ({
      description: text(record.description) ?? text(record.kind),
      status: text(record.status),
      paymentType: text(record.payment_type),
      agreementNumber: text(record.agreement_id),
      start: text(record.start_date),
      end: text(record.end_date),
      isCanceled: record.is_canceled === 1,
      isRenewable: record.is_renewable === null ? null : record.is_renewable === 1,
    })),
  }
}

function identifiers(json: string | null): DeviceDetail['identifiers'] {
  const lists = identifierLists(json)
  return IDENTIFIER_FIELDS.flatMap((field) =>
    lists[field].length > 0 ? [{ label: IDENTIFIER_LABELS[field], values: lists[field] }] : [],
  )
}
