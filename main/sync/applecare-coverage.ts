// Apple's appleCareCoverage resources → the coverage records the tenant database keeps, and the
// four outcomes of asking for them (apple-api-sync.md §6). A record's `id` is the stable key of the
// plan (the serial for the Limited Warranty, the agreement number for AppleCare+, abe-<serial> for
// AppleCare+ for Business), so a re-sync updates a record instead of adding a twin.
import { isRecord, text, timestamp } from './org-device'

export const COVERAGE_FIELDS = [
  'status',
  'paymentType',
  'description',
  'agreementNumber',
  'startDateTime',
  'endDateTime',
  'isRenewable',
  'isCanceled',
  'contractCancelDateTime',
] as const

export interface ApiCoverage {
  key: string
  description: string | null
  status: string | null
  paymentType: string | null
  agreementNumber: string | null
  start: string | null
  /** null for AppleCare+ for Business, which runs while its subscription does. */
  end: string | null
  isRenewable: boolean | null
  /** Canceled, or with a cancel date: the plan has ended whatever its end date says. */
  isCanceled: boolean
  contractCancelDate: string | null
}

const KIND_OF_PAYMENT: Record<string, string> = {
  NONE: 'Limited Warranty',
  PAID_UP_FRONT: 'AppleCare+',
  SUBSCRIPTION: 'AppleCare+',
  ABE_SUBSCRIPTION: 'AppleCare+ for Business',
}

/** The kind column the CSV import also fills, from Apple's payment type. */
export function coverageKind(coverage: ApiCoverage): string | null {
  return coverage.paymentType ? (KIND_OF_PAYMENT[coverage.paymentType] ?? null) : null
}

/** The records of one page; undefined when the body is not Apple's shape at all. */
export function readCoveragePage(body: unknown): ApiCoverage[] | undefined {
  if (!isRecord(body) || !Array.isArray(body.data)) return undefined
  const records: ApiCoverage[] = []
  for (const resource of body.data) {
    const record = readCoverage(resource)
    if (record) records.push(record)
  }
  return records
}

function readCoverage(resource: unknown): ApiCoverage | undefined {
  if (!isRecord(resource)) return undefined
  const attributes = isRecord(resource.attributes) ? resource.attributes : {}
  const agreementNumber = text(attributes.agreementNumber)
  const key = text(resource.id) ?? agreementNumber
  if (!key) return undefined
  const contractCancelDate = timestamp(attributes.contractCancelDateTime)
  return {
    key,
    description: text(attributes.description),
    status: text(attributes.status),
    paymentType: text(attributes.paymentType),
    agreementNumber,
    start: timestamp(attributes.startDateTime),
    end: timestamp(attributes.endDateTime),
    isRenewable: typeof attributes.isRenewable === 'boolean' ? attributes.isRenewable : null,
    isCanceled: attributes.isCanceled === true || contractCancelDate !== null,
    contractCancelDate,
  }
}

/** The cursor of the next page, when Apple says there is one. */
export function nextCursor(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.meta) || !isRecord(body.meta.paging)) return undefined
  const cursor = body.meta.paging.nextCursor
  return typeof cursor === 'string' && cursor !== '' && cursor.length <= 4096 ? cursor : undefined
}
