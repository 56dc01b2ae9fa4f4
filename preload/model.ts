// The records the app keeps and shows. Shared by main (which stores them) and the renderer (which
// shows them), so both sides agree on one shape. Nothing here ever holds secret material.
// The schemas are zod/mini, the same checks as zod's classic API at a fraction of its cost at start
// (`axm-credentials list` validates the state file with them). preload/contract.ts builds on them
// with the classic API, which takes any zod schema.
import { z } from 'zod/mini'
import en from 'zod/v4/locales/en.js'
import type { AuthFailureReason } from './contract'
import type { SyncOverview } from './sync-model'
import {
  auditKindRule,
  clientIdRule,
  deviceFilterRule,
  deviceSortColumnRule,
  displayNameRule,
  keyIdRule,
  rotationStepRule,
  scopeRule,
  type DeviceKey,
  type TextRule,
} from './rules'

export {
  clientIdPattern,
  isSafeText,
  keyIdPattern,
  scopeOfClientId,
  shortFingerprint,
  UNSAFE_TEXT,
  unsafeTextMessage,
} from './rules'

// zod/mini sets no language for its messages; zod's classic API sets English at its first schema.
// Set here, the messages read the same whichever API made the schema and whichever loaded first.
z.config(en())

/** A zod schema for a rule of ./rules: the same trim, the same check, the same message. */
function textSchema(rule: TextRule) {
  return z.string().check(
    z.trim(),
    z.superRefine((text, context) => {
      const message = rule.problem(text)
      if (message !== undefined) context.addIssue({ code: 'custom', message })
    }),
  )
}

export const scopeSchema = z.enum(scopeRule.options)
export type Scope = z.infer<typeof scopeSchema>

export const credentialStatusSchema = z.enum(['pending', 'active', 'retired'])
export type CredentialStatus = z.infer<typeof credentialStatusSchema>

export const credentialOriginSchema = z.enum(['manual', 'managed'])
export type CredentialOrigin = z.infer<typeof credentialOriginSchema>

export const clientIdSchema = textSchema(clientIdRule)
export const keyIdSchema = textSchema(keyIdRule)
export const displayNameSchema = textSchema(displayNameRule)

export const connectionCheckSchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  message: z.string(),
  /** Why Apple did not accept the key, so advice can tell a refusal from an outage. */
  reason: z.optional(z.custom<AuthFailureReason>((value) => typeof value === 'string')),
})
export type ConnectionCheck = z.infer<typeof connectionCheckSchema>

export const credentialSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  clientId: z.string(),
  keyId: z.string(),
  scope: scopeSchema,
  publicKeyFingerprint: z.string(),
  status: credentialStatusSchema,
  origin: credentialOriginSchema,
  managedId: z.optional(z.string()),
  managedRevision: z.optional(z.int()),
  replaces: z.optional(z.string()),
  replacedBy: z.optional(z.string()),
  createdAt: z.string(),
  activatedAt: z.optional(z.string()),
  retiredAt: z.optional(z.string()),
  lastCheck: z.optional(connectionCheckSchema),
})
export type Credential = z.infer<typeof credentialSchema>

export const tenantSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: scopeSchema,
  /** null only when the admin removed the last credential and chose to keep the tenant's data. */
  activeCredentialId: z.nullable(z.string()),
  createdAt: z.string(),
})
export type Tenant = z.infer<typeof tenantSchema>

/** Device counts behind the Devices tiles. `expiringSoon` means coverage ends within 90 days. */
export interface DeviceCounts {
  devices: number
  inCoverage: number
  expiringSoon: number
  expired: number
  noData: number
  inactive: number
}

export const deviceFilterSchema = z.enum(deviceFilterRule.options)
export type DeviceFilter = z.infer<typeof deviceFilterSchema>

export const deviceSortColumnSchema = z.enum(deviceSortColumnRule.options)
export {
  DEFAULT_DEVICE_SORT,
  DEVICE_SORT_FIELDS,
  deviceKey,
  type DeviceKey,
  type DeviceSort,
  type DeviceSortColumn,
} from './rules'

/**
 * Where a page of devices starts, in the table's sort (keyset paging): the first or the last page,
 * the page after or before a row already shown (by its key, not its position), or the page at a
 * position (a jump of the scroll bar).
 */
export type DeviceCursor =
  { from: 'start' | 'end' } | { after: DeviceKey } | { before: DeviceKey } | { index: number }

/** How far a CSV import has got: sent as it goes, so a large file shows a progress bar. */
export interface CsvImportProgress {
  tenantId: string
  bytesRead: number
  totalBytes: number
  rows: number
}

/** How far a CSV export has got: sent as it goes, so a large export shows a progress bar. */
export interface CsvExportProgress {
  tenantId: string
  /** Devices written, of `totalDevices`; `rows` (one per coverage record) written. */
  devices: number
  totalDevices: number
  rows: number
}

/** One row of the devices table: the device and its best (latest-ending) coverage. */
export interface DeviceRow {
  serial: string
  model: string | null
  family: string | null
  status: string | null
  coverage: string | null
  coverageEnd: string | null
  /**
   * noData: Apple gave no answer last time (or was never asked, and no CSV had coverage);
   * noRecord: Apple has no coverage record for it; notFound: Apple did not find its coverage.
   */
  coverageState: 'active' | 'expiringSoon' | 'expired' | 'noData' | 'noRecord' | 'notFound'
  /** Released from the organisation: kept, with its history. */
  inactive: boolean
}

/**
 * The Devices screen the app opens on, whole: its tenant's first page of all devices, their number,
 * the tiles' counts and the sync line's overview.
 */
export interface OpeningDevices {
  tenantId: string
  rows: DeviceRow[]
  total: number
  counts: DeviceCounts
  sync: SyncOverview
}

export interface CsvImportReport {
  rows: number
  devices: number
  coverage: number
  /** Rows that could not be used. */
  skipped: number
  /** Why, by line number: the first MAX_REPORTED_CSV_ERRORS of them, so a garbage file stays small. */
  errors: { line: number; message: string }[]
}

export const MAX_REPORTED_CSV_ERRORS = 1000

/** Row counts and a content hash of a tenant database: equal before and after a rotation. */
export interface TenantDataSnapshot {
  devices: number
  coverage: number
  contentHash: string
}

export const auditKindSchema = z.enum(auditKindRule.options)
export type AuditKind = z.infer<typeof auditKindSchema>

export interface AuditEntry {
  id: string
  at: string
  kind: AuditKind
  tenantId?: string
  credentialId?: string
  summary: string
  details?: Record<string, string | number | boolean | null>
  /** The OS account that made the change; entries written before it was recorded have none. */
  user?: string
}

/** What the key parser found, as the renderer may see it: never the key itself. */
export interface KeyInspection {
  format: 'pkcs8' | 'sec1' | 'encrypted-pkcs8' | 'pkcs12'
  curve: 'P-256'
  publicKeyFingerprint: string
}

export const rotationStepSchema = z.enum(rotationStepRule.options)
export type RotationStep = z.infer<typeof rotationStepSchema>

export type ConfirmationMethod = 'oauth' | 'offline'

export interface RotationProgress {
  runId: string
  step: RotationStep
  state: 'running' | 'done' | 'failed'
  message?: string
}

export interface RotationOutcome {
  tenantId: string
  oldCredentialId: string
  newCredentialId: string
  confirmation: ConfirmationMethod
  before: TenantDataSnapshot
  after: TenantDataSnapshot
}

/** A managed-preferences entry waiting for the admin, as the banner shows it. */
export interface ManagedEntryView {
  id: string
  revision: number
  name: string
  clientId: string
  keyId: string
  scope: Scope
  keyFormat: 'encrypted-pkcs8' | 'pkcs12'
  publicKeyFingerprint?: string
  /** The credential this entry most likely replaces (same managed id, then same Client ID). */
  suggestedCredentialId?: string
}

export interface ManagedProblem {
  /** Index in the ManagedCredentials array, or null for a problem with the whole source. */
  index: number | null
  entryId?: string
  field?: string
  message: string
}

export interface ManagedState {
  source: { location: string; present: boolean }
  pending: ManagedEntryView[]
  problems: ManagedProblem[]
}
