// The one IPC contract. Every method the renderer may call is listed here with the schema main uses
// to parse its input and the type it answers with; preload exposes exactly these as window.api.*,
// and main registers one handler per method. Events flow main → renderer only.
import { z } from 'zod'
import {
  clientIdSchema,
  DEFAULT_DEVICE_SORT,
  DEVICE_SORT_FIELDS,
  deviceFilterSchema,
  deviceSortColumnSchema,
  displayNameSchema,
  keyIdSchema,
  scopeSchema,
  auditKindSchema,
  type AuditEntry,
  type Credential,
  type CsvImportReport,
  type DeviceCounts,
  type DeviceCursor,
  type DeviceFilter,
  type DeviceSort,
  type CsvImportProgress,
  type CsvExportProgress,
  type DeviceRow,
  type OpeningDevices,
  type KeyInspection,
  type ManagedState,
  type RotationOutcome,
  type RotationProgress,
  type Tenant,
  type ConnectionCheck,
} from './model'
import type { DeviceDetail, SyncKind, SyncOverview, SyncProgress, SyncRun } from './sync-model'
import type { EventName, MethodName } from './methods'

export { eventChannel, invokeChannel, type EventName, type MethodName } from './methods'

/**
 * A private key as the user gave it. Pasted or dropped text travels renderer → main once, as the
 * user's own input; a file chosen in the picker stays in main and is named by an opaque token.
 */
export const keyInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().max(256 * 1024) }),
  z.object({
    kind: z.literal('binary'),
    base64: z.string().max(512 * 1024),
    fileName: z.string().max(260),
  }),
  z.object({ kind: z.literal('picked'), token: z.string().max(100) }),
])
export type KeyInput = z.infer<typeof keyInputSchema>

const passphraseSchema = z.string().max(1024).optional()
const idSchema = z.string().min(1).max(100)
const searchSchema = z.string().max(200)
const pageLimitSchema = z.number().int().min(1).max(1000)
const deviceSortSchema = z.object({ column: deviceSortColumnSchema, descending: z.boolean() })
const deviceTextSchema = z.string().max(500).nullable().optional()
/** A row's place in a sort (DeviceKey): its serial and the sort column's fields. */
const deviceKeySchema = z
  .object({
    serial: z.string().max(200),
    model: deviceTextSchema,
    family: deviceTextSchema,
    status: deviceTextSchema,
    coverage: deviceTextSchema,
    coverageEnd: deviceTextSchema,
    inactive: z.boolean().optional(),
  })
  .strict()

/** Which audit entries to list or export: a tenant, a kind, words, and a range of days. */
const auditFilterSchema = z
  .object({
    tenantId: idSchema.optional(),
    kind: z.optional(auditKindSchema),
    /** Words the summary, the user or an id must contain, case-insensitively. */
    search: z.string().max(200).optional(),
    /** Entries at or after this instant (ISO 8601, UTC): the start of the first day shown. */
    from: z.iso.datetime().optional(),
    /** Entries before this instant: the end of the last day shown. */
    until: z.iso.datetime().optional(),
  })
  .strict()
export type AuditFilterInput = z.infer<typeof auditFilterSchema>

export const newCredentialSchema = z.object({
  name: displayNameSchema,
  clientId: clientIdSchema,
  keyId: keyIdSchema,
  scope: z.optional(scopeSchema),
  /** Re-attach to a tenant whose data was kept after its last credential was removed. */
  tenantId: z.string().min(1).max(100).optional(),
  key: keyInputSchema,
  passphrase: passphraseSchema,
})
export type NewCredentialInput = z.infer<typeof newCredentialSchema>

/** Error codes a helpdesk-facing message is attached to. `message` is always safe to show. */
export type ErrorCode =
  | 'invalid_input'
  | 'key_invalid'
  | 'passphrase_required'
  | 'wrong_passphrase'
  | 'duplicate_client_id'
  | 'keychain_unavailable'
  | 'not_found'
  | 'tenant_data_decision_required'
  | 'confirmation_mismatch'
  | 'rotation_failed'
  | 'auth_failed'
  | 'canceled'
  | 'busy'
  | 'sync_failed'
  | 'internal'
  /** The state file cannot be read; the user restores it from a backup (its folder can be opened). */
  | 'state_damaged'

/**
 * Why Apple's sign-in service did not confirm a key. 'network', 'timeout', 'server',
 * 'rate_limited' and 'bad_response' mean Apple gave no verdict (the admin may confirm offline); 'invalid_client',
 * 'invalid_request' and 'rejected' mean Apple said no.
 */
export type AuthFailureReason =
  | 'invalid_client'
  | 'invalid_request'
  | 'rejected'
  | 'network'
  | 'timeout'
  | 'server'
  | 'rate_limited'
  | 'canceled'
  | 'bad_response'

export interface AppError {
  code: ErrorCode
  message: string
  /** For a failed rotation: the step that failed. */
  step?: string
  /** For 'auth_failed' (and a canceled token request): why Apple did not confirm the key. */
  reason?: AuthFailureReason
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError }

function method<I extends z.ZodType, O>(input: I) {
  return { input, output: undefined as unknown as O }
}

const noInput = z.object({}).strict()

export const contract = {
  listTenants: method<typeof noInput, Tenant[]>(noInput),
  listCredentials: method<typeof noInput, Credential[]>(noInput),
  pickKeyFile: method<typeof noInput, { token: string; fileName: string } | null>(noInput),
  inspectKey: method<z.ZodType<{ key: KeyInput; passphrase?: string }>, KeyInspection>(
    z.object({ key: keyInputSchema, passphrase: passphraseSchema }).strict(),
  ),
  addCredential: method<typeof newCredentialSchema, Credential>(newCredentialSchema.strict()),
  renameCredential: method<z.ZodType<{ credentialId: string; name: string }>, Credential>(
    z.object({ credentialId: idSchema, name: displayNameSchema }).strict(),
  ),
  removeCredential: method<
    z.ZodType<{ credentialId: string; tenantData?: 'keep' | 'delete'; confirmName?: string }>,
    { tenantRemoved: boolean; dataDeleted: boolean }
  >(
    z
      .object({
        credentialId: idSchema,
        tenantData: z.enum(['keep', 'delete']).optional(),
        confirmName: z.string().max(200).optional(),
      })
      .strict(),
  ),
  testConnection: method<z.ZodType<{ credentialId: string }>, ConnectionCheck>(
    z.object({ credentialId: idSchema }).strict(),
  ),
  deviceCounts: method<z.ZodType<{ tenantId: string }>, DeviceCounts>(
    z.object({ tenantId: idSchema }).strict(),
  ),
  /** How many devices a view (filter and search) shows: asked once per view, not per page. */
  countDeviceView: method<
    z.ZodType<{ tenantId: string; filter: DeviceFilter; search: string }>,
    number
  >(z.object({ tenantId: idSchema, filter: deviceFilterSchema, search: searchSchema }).strict()),
  /** One page of a view in a sort (serial ascending without one); see DeviceCursor. */
  queryDevices: method<
    z.ZodType<{
      tenantId: string
      filter: DeviceFilter
      search: string
      sort?: DeviceSort
      cursor: DeviceCursor
      limit: number
    }>,
    DeviceRow[]
  >(
    z
      .object({
        tenantId: idSchema,
        filter: deviceFilterSchema,
        search: searchSchema,
        sort: deviceSortSchema.optional(),
        cursor: z.union([
          z.object({ from: z.enum(['start', 'end']) }).strict(),
          z.object({ after: deviceKeySchema }).strict(),
          z.object({ before: deviceKeySchema }).strict(),
          z.object({ index: z.number().int().min(0) }).strict(),
        ]),
        limit: pageLimitSchema,
      })
      .strict()
      .superRefine(({ sort, cursor }, context) => {
        const key = 'after' in cursor ? cursor.after : 'before' in cursor ? cursor.before : null
        const missing = DEVICE_SORT_FIELDS[(sort ?? DEFAULT_DEVICE_SORT).column].filter(
          (field) => key !== null && key[field] === undefined,
        )
        if (missing.length > 0) {
          context.addIssue({
            code: 'custom',
            path: ['cursor'],
            message: `The cursor's key lacks ${missing.join(', ')}, which its sort needs.`,
          })
        }
      }),
  ),
  /**
   * Asked at boot beside listTenants, so the screen the app opens on needs no round trip after it:
   * the first page of all devices in the default sort, their number, the tiles' counts and the
   * sync overview of the tenant the app opens on (the one last opened, else the first). Null
   * without a tenant.
   */
  openingDevices: method<z.ZodType<{ limit: number }>, OpeningDevices | null>(
    z.object({ limit: pageLimitSchema }).strict(),
  ),
  /** Null when the admin closed the file picker. Progress comes as csvImportProgress events. */
  importDevicesCsv: method<z.ZodType<{ tenantId: string }>, CsvImportReport | null>(
    z.object({ tenantId: idSchema }).strict(),
  ),
  /** Stops the tenant's running import; it then fails with 'canceled' and changes nothing. */
  cancelCsvImport: method<z.ZodType<{ tenantId: string }>, { canceled: boolean }>(
    z.object({ tenantId: idSchema }).strict(),
  ),
  /**
   * Exports what the view shows (its tile's filter and its search), in the table's sort; all
   * devices by serial without them. Progress comes as csvExportProgress events.
   */
  exportDevicesCsv: method<
    z.ZodType<{ tenantId: string; filter?: DeviceFilter; search?: string; sort?: DeviceSort }>,
    { path: string; rows: number; devices: number } | null
  >(
    z
      .object({
        tenantId: idSchema,
        filter: z.optional(deviceFilterSchema),
        search: searchSchema.optional(),
        sort: deviceSortSchema.optional(),
      })
      .strict(),
  ),
  /** Stops the tenant's running export; it then fails with 'canceled' and leaves no file. */
  cancelCsvExport: method<z.ZodType<{ tenantId: string }>, { canceled: boolean }>(
    z.object({ tenantId: idSchema }).strict(),
  ),
  changeCredential: method<
    z.ZodType<{
      runId: string
      credentialId: string
      name: string
      clientId: string
      keyId: string
      key: KeyInput
      passphrase?: string
      confirmOffline?: boolean
    }>,
    RotationOutcome
  >(
    z
      .object({
        runId: idSchema,
        credentialId: idSchema,
        name: displayNameSchema,
        clientId: clientIdSchema,
        keyId: keyIdSchema,
        key: keyInputSchema,
        passphrase: passphraseSchema,
        confirmOffline: z.boolean().optional(),
      })
      .strict(),
  ),
  cancelRotation: method<z.ZodType<{ runId: string }>, { canceled: boolean }>(
    z.object({ runId: idSchema }).strict(),
  ),
  listAudit: method<typeof auditFilterSchema, AuditEntry[]>(auditFilterSchema),
  exportAuditCsv: method<typeof auditFilterSchema, { path: string; rows: number } | null>(
    auditFilterSchema,
  ),
  managedState: method<typeof noInput, ManagedState>(noInput),
  importManaged: method<
    z.ZodType<{
      runId: string
      entryId: string
      revision: number
      passphrase: string
      replaceCredentialId?: string
      confirmOffline?: boolean
    }>,
    { credential: Credential; rotation?: RotationOutcome }
  >(
    z
      .object({
        runId: idSchema,
        entryId: z.string().min(1).max(200),
        revision: z.number().int().min(1),
        passphrase: z.string().max(1024),
        replaceCredentialId: idSchema.optional(),
        confirmOffline: z.boolean().optional(),
      })
      .strict(),
  ),
  dismissManaged: method<z.ZodType<{ entryId: string; revision: number }>, { dismissed: true }>(
    z.object({ entryId: z.string().min(1).max(200), revision: z.number().int().min(1) }).strict(),
  ),
  startSync: method<
    z.ZodType<{ tenantId: string; kind: SyncKind; force?: boolean; serial?: string }>,
    SyncRun
  >(
    z
      .object({
        tenantId: idSchema,
        kind: z.enum(['full', 'partial', 'device']),
        force: z.boolean().optional(),
        serial: z.string().min(1).max(64).optional(),
      })
      .strict(),
  ),
  cancelSync: method<z.ZodType<{ tenantId: string }>, { canceled: boolean }>(
    z.object({ tenantId: idSchema }).strict(),
  ),
  syncOverview: method<z.ZodType<{ tenantId: string }>, SyncOverview>(
    z.object({ tenantId: idSchema }).strict(),
  ),
  syncHistory: method<z.ZodType<{ tenantId: string }>, SyncRun[]>(
    z.object({ tenantId: idSchema }).strict(),
  ),
  deviceDetail: method<z.ZodType<{ tenantId: string; serial: string }>, DeviceDetail>(
    z.object({ tenantId: idSchema, serial: z.string().min(1).max(64) }).strict(),
  ),
  renameTenant: method<z.ZodType<{ tenantId: string; name: string }>, Tenant>(
    z.object({ tenantId: idSchema, name: displayNameSchema }).strict(),
  ),
  /** The admin revoked a replaced credential's old key at Apple: recorded in the audit log. */
  markKeyRevoked: method<z.ZodType<{ credentialId: string }>, { recorded: true }>(
    z.object({ credentialId: idSchema }).strict(),
  ),
  /** The tenant the admin opened: the app opens on it next time (see openingDevices). */
  rememberOpenedTenant: method<z.ZodType<{ tenantId: string }>, { remembered: true }>(
    z.object({ tenantId: idSchema }).strict(),
  ),
  /** Stops a running testConnection of this credential; nothing is recorded for it. */
  cancelConnectionTest: method<z.ZodType<{ credentialId: string }>, { canceled: boolean }>(
    z.object({ credentialId: idSchema }).strict(),
  ),
  /** Undoes dismissManaged: the entry waits in the banner again. */
  restoreManaged: method<z.ZodType<{ entryId: string; revision: number }>, { restored: boolean }>(
    z.object({ entryId: z.string().min(1).max(200), revision: z.number().int().min(1) }).strict(),
  ),
} as const

export type Contract = typeof contract

// METHOD_NAMES (./methods) and the contract name the same methods: a name missing on either side
// fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const methodsListed: Same<keyof Contract, MethodName> = true
const eventsListed: Same<keyof ContractEvents, EventName> = true
void methodsListed
void eventsListed
export type MethodInput<M extends MethodName> = z.infer<Contract[M]['input']>
export type MethodOutput<M extends MethodName> = Contract[M]['output']

/** Events main pushes to the renderer. */
export interface ContractEvents {
  rotationProgress: RotationProgress
  managedChanged: ManagedState
  csvImportProgress: CsvImportProgress
  csvExportProgress: CsvExportProgress
  dataChanged: { what: 'credentials' | 'devices' | 'audit'; tenantId?: string }
  syncProgress: SyncProgress
}

/** window.api as the renderer sees it. */
export type Api = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>
} & {
  on<E extends EventName>(event: E, listener: (payload: ContractEvents[E]) => void): () => void
}
