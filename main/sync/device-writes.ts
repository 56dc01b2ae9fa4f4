// What a sync writes into the tenant database: the devices of a page, the coverage answer of a
// device, and the devices a complete enumeration no longer lists. Callers run each batch inside one
// transaction with the run's progress, so no device is ever half-written and a resumed run starts
// exactly after the last batch that landed. Nothing here deletes a device.
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { SyncCounts } from '../../preload/sync-model'
import { REFRESH_BEST_COVERAGE } from '../tenants/best-coverage'
import { coverageKind, type ApiCoverage } from './applecare-coverage'
import type { ApiDevice } from './org-device'

const DEVICE_COLUMNS = {
  model: 'model',
  family: 'family',
  productType: 'product_type',
  capacity: 'capacity',
  color: 'color',
  status: 'status',
  orderNumber: 'order_number',
  orderDate: 'order_date',
  partNumber: 'part_number',
  purchaseSourceType: 'purchase_source_type',
  purchaseSourceId: 'purchase_source_id',
  addedToOrg: 'added_to_org',
  releasedFromOrg: 'released_from_org',
  updatedAt: 'updated_at',
  identifiers: 'identifiers',
} as const satisfies Partial<Record<keyof ApiDevice, string>>
type DeviceField = keyof typeof DEVICE_COLUMNS
const FIELDS = Object.keys(DEVICE_COLUMNS) as DeviceField[]

// A listed device is active: a device that came back after a release is active again.
const UPSERT_DEVICE = `
INSERT INTO devices (serial, make, ${FIELDS.map((f) => DEVICE_COLUMNS[f]).join(', ')},
  first_seen, last_seen, inactive, listed_run)
VALUES (:serial, 'Apple', ${FIELDS.map((f) => `:${f}`).join(', ')}, :seenAt, :seenAt, 0, :runId)
ON CONFLICT (serial) DO UPDATE SET
  ${FIELDS.map((f) => `${DEVICE_COLUMNS[f]} = excluded.${DEVICE_COLUMNS[f]}`).join(', ')},
  make = coalesce(make, 'Apple'), last_seen = excluded.last_seen, inactive = 0,
  listed_run = excluded.listed_run`

const UPSERT_ATTRIBUTES = `
INSERT INTO device_attributes (serial, attributes) VALUES (?, ?)
ON CONFLICT (serial) DO UPDATE SET attributes = excluded.attributes`

// An unchanged device is only seen again: no field is rewritten.
const SEEN_AGAIN = `UPDATE devices SET last_seen = ?, listed_run = ? WHERE serial = ?`

const KNOWN = `
SELECT d.serial, d.inactive, a.attributes FROM devices d LEFT JOIN device_attributes a USING (serial)
WHERE d.serial IN (SELECT value FROM json_each(?))`

export class DeviceWrites {
  readonly #db: DatabaseSync
  readonly #upsert: StatementSync
  readonly #attributes: StatementSync
  readonly #seenAgain: StatementSync
  readonly #known: StatementSync
  readonly #coverage: CoverageWrites

  constructor(db: DatabaseSync) {
    this.#db = db
    this.#upsert = db.prepare(UPSERT_DEVICE)
    this.#attributes = db.prepare(UPSERT_ATTRIBUTES)
    this.#seenAgain = db.prepare(SEEN_AGAIN)
    this.#known = db.prepare(KNOWN)
    this.#coverage = new CoverageWrites(db)
  }

  /** Writes a page of listed devices; counts what was new and what changed. */
  writeListed(
    devices: ApiDevice[],
    runId: number,
    seenAt: string,
    counts: Pick<SyncCounts, 'devicesSeen' | 'devicesNew' | 'devicesUpdated'>,
  ): void {
    const known = new Map(
      this.#known
        .all(JSON.stringify(devices.map((device) => device.serial)))
        .map((row) => [row.serial as string, row]),
    )
    for (const device of devices) {
      counts.devicesSeen++
      const before = known.get(device.serial)
      if (before && before.attributes === device.raw && before.inactive === 0) {
        this.#seenAgain.run(seenAt, runId, device.serial)
        continue
      }
      if (before) counts.devicesUpdated++
      else counts.devicesNew++
      this.writeDevice(device, runId, seenAt)
    }
  }

  /** Writes one device as Apple described it (a single-device read lists nothing: runId null). */
  writeDevice(device: ApiDevice, runId: number | null, seenAt: string): void {
    const params: Record<string, string | number | null> = {
      serial: device.serial,
      seenAt,
      runId,
    }
    for (const field of FIELDS) params[field] = device[field]
    this.#upsert.run(params)
    this.#attributes.run(device.serial, device.raw)
  }

  get coverage(): CoverageWrites {
    return this.#coverage
  }

  /**
   * A device a complete enumeration did not list, confirmed by its own read: released (with the
   * time Apple gives) or gone (404). Its coverage and history stay.
   */
  markInactive(serial: string, releasedAt: string | null): void {
    this.#db
      .prepare(
        `UPDATE devices SET inactive = 1, released_from_org = coalesce(?, released_from_org)
         WHERE serial = ?`,
      )
      .run(releasedAt, serial)
  }
}

export type CoverageAnswer =
  | { outcome: 'records'; records: ApiCoverage[] }
  | { outcome: 'none' }
  /** `gone`: the device's own read said it left the organisation (released at `releasedAt`). */
  | { outcome: 'notFound'; gone?: true; releasedAt?: string | null }
  | { outcome: 'unavailable'; error: string }

const UPSERT_COVERAGE = `
INSERT INTO coverage (serial, coverage_key, kind, description, agreement_id, status, payment_type,
  start_date, end_date, is_canceled, is_renewable, contract_cancel_date)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (serial, coverage_key) DO UPDATE SET
  kind = excluded.kind, description = excluded.description, agreement_id = excluded.agreement_id,
  status = excluded.status, payment_type = excluded.payment_type, start_date = excluded.start_date,
  end_date = excluded.end_date, is_canceled = excluded.is_canceled,
  is_renewable = excluded.is_renewable, contract_cancel_date = excluded.contract_cancel_date`

/** Apple's answer replaces the device's coverage: records it no longer returns are removed. */
const DROP_OTHER_COVERAGE = `
DELETE FROM coverage WHERE serial = ? AND coverage_key NOT IN (SELECT value FROM json_each(?))`

// The answer and when it was given; `coverage_for_update` remembers which version of the device
// (its updatedDateTime) the coverage belongs to, so a change at Apple makes it stale.
const RECORD_ANSWER = `
UPDATE devices SET coverage_outcome = ?, coverage_attempt_run = ?, coverage_error = NULL,
  coverage_checked_at = ?, coverage_for_update = updated_at
WHERE serial = ?`

// No answer: the last known coverage stays, and the device shows No Data until one comes.
const RECORD_FAILURE = `
UPDATE devices SET coverage_outcome = 'unavailable', coverage_attempt_run = ?, coverage_error = ?
WHERE serial = ?`

export class CoverageWrites {
  readonly #upsert: StatementSync
  readonly #dropOthers: StatementSync
  readonly #answer: StatementSync
  readonly #failure: StatementSync
  readonly #best: StatementSync

  constructor(db: DatabaseSync) {
    this.#upsert = db.prepare(UPSERT_COVERAGE)
    this.#dropOthers = db.prepare(DROP_OTHER_COVERAGE)
    this.#answer = db.prepare(RECORD_ANSWER)
    this.#failure = db.prepare(RECORD_FAILURE)
    this.#best = db.prepare(REFRESH_BEST_COVERAGE)
  }

  write(serial: string, answer: CoverageAnswer, runId: number, at: string): void {
    if (answer.outcome === 'unavailable') {
      this.#failure.run(runId, answer.error, serial)
      return
    }
    if (answer.outcome === 'records') {
      const keys = answer.records.map((record) => coverageKey(record.key))
      for (const record of answer.records) {
        this.#upsert.run(
          serial,
          coverageKey(record.key),
          coverageKind(record),
          record.description,
          record.agreementNumber,
          record.status,
          record.paymentType,
          record.start,
          record.end,
          record.isCanceled ? 1 : 0,
          record.isRenewable === null ? null : record.isRenewable ? 1 : 0,
          record.contractCancelDate,
        )
      }
      this.#dropOthers.run(serial, JSON.stringify(keys))
      this.#best.run(serial)
    }
    this.#answer.run(answer.outcome, runId, at, serial)
  }
}

/** Apple's plan id, kept apart from the keys the CSV import derives. */
const coverageKey = (appleId: string): string => JSON.stringify(['apple', appleId])
