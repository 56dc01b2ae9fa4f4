// The field rules and fixed lists that both main and the renderer check, written without zod so the
// renderer (and the preload) can use them without shipping zod's 180 kB. Main builds its zod
// schemas from these (see ./model), so each rule and its message exists once.
import type { DeviceRow } from './model'

/** A check in the shape of the part of a zod schema the renderer uses: safeParse. */
export interface Rule<T> {
  safeParse(value: unknown): RuleResult<T>
}

export type RuleResult<T> =
  { success: true; data: T } | { success: false; error: { issues: { message: string }[] } }

const failed = (message: string): RuleResult<never> => ({
  success: false,
  error: { issues: [{ message }] },
})

/** A trimmed string rule: `problem` says what is wrong with the trimmed text, or undefined. */
export interface TextRule extends Rule<string> {
  problem(trimmed: string): string | undefined
}

function textRule(problem: (trimmed: string) => string | undefined): TextRule {
  return {
    problem,
    safeParse(value) {
      if (typeof value !== 'string') return failed('Expected text')
      const trimmed = value.trim()
      const message = problem(trimmed)
      return message === undefined ? { success: true, data: trimmed } : failed(message)
    },
  }
}

/** One of a fixed list of strings; `options` lists them in order. */
export interface ChoiceRule<T extends string> extends Rule<T> {
  readonly options: readonly T[]
}

function choiceRule<const T extends string>(options: readonly T[]): ChoiceRule<T> {
  const allowed: ReadonlySet<string> = new Set(options)
  return {
    options,
    safeParse: (value) =>
      typeof value === 'string' && allowed.has(value)
        ? { success: true, data: value as T }
        : failed(`Expected one of ${options.join(', ')}`),
  }
}

const uuid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'
export const clientIdPattern = new RegExp(`^(BUSINESSAPI|SCHOOLAPI)\\.${uuid}$`)
export const keyIdPattern = new RegExp(`^${uuid}$`)

export const clientIdRule = textRule((text) =>
  clientIdPattern.test(text)
    ? undefined
    : 'Client ID looks like BUSINESSAPI.<uuid> or SCHOOLAPI.<uuid>',
)
export const keyIdRule = textRule((text) =>
  keyIdPattern.test(text) ? undefined : 'Key ID is a UUID',
)
/**
 * Characters that let a name or an id forge what a screen or a terminal shows: control characters
 * (C0 and C1: NUL, ESC, newlines, tabs), bidi embeddings, overrides and isolates (which reorder the
 * text around them), and lone surrogates (half a character).
 */
export const UNSAFE_TEXT = /[\p{Cc}\u202A-\u202E\u2066-\u2069]|\p{Cs}/u

/** Whether `text` is free of UNSAFE_TEXT characters. */
export const isSafeText = (text: string): boolean => !UNSAFE_TEXT.test(text)

/** Why a name or an id that fails isSafeText is refused; `what` names it. */
export const unsafeTextMessage = (what: string): string =>
  `${what} must not hold control characters (such as line breaks or escape codes), text-direction overrides or broken characters`

export const displayNameRule = textRule((text) =>
  text.length < 1
    ? 'Name is required'
    : text.length > 120
      ? 'Name is at most 120 characters'
      : !isSafeText(text)
        ? unsafeTextMessage('Name')
        : undefined,
)

export const scopeRule = choiceRule(['business', 'school'])
export const rotationStepRule = choiceRule(['validate', 'stage', 'confirm', 'cutover', 'purge'])
export const auditKindRule = choiceRule([
  'credential.added',
  'credential.renamed',
  'credential.removed',
  'credential.rotated',
  'rotation.failed',
  'rotation.recovered',
  'check.passed',
  'check.failed',
  'tenant.removed',
  'tenant.imported',
  'managed.imported',
  'tenant.renamed',
  'key.revoked',
])
export const deviceFilterRule = choiceRule([
  'all',
  'inCoverage',
  'expiringSoon',
  'expired',
  'noData',
  'inactive',
])

/**
 * The best-coverage end of a plan that runs while its subscription does (AppleCare+ for Business
 * has no end date): it sorts after every real date, so the plan counts as in coverage.
 */
export const OPEN_ENDED_COVERAGE = '9999-12-31'

/** The scope a Client ID was issued for, from its prefix. */
export function scopeOfClientId(clientId: string): 'business' | 'school' {
  return clientId.startsWith('SCHOOLAPI.') ? 'school' : 'business'
}

/**
 * A public key fingerprint as people read it: the first and last 8 hex digits, enough to tell keys
 * apart at a glance and short enough for a table cell. The CLI and the app both show this form.
 */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.length > 16
    ? `${fingerprint.slice(0, 8)}…${fingerprint.slice(-8)}`
    : fingerprint
}

/** The columns of the devices table it can be sorted by. */
export const deviceSortColumnRule = choiceRule([
  'serial',
  'model',
  'family',
  'coverage',
  'coverageEnd',
  'status',
])
export type DeviceSortColumn = (typeof deviceSortColumnRule.options)[number]

/** The order of the devices table. Ties in the column are broken by serial, in the same direction. */
export interface DeviceSort {
  column: DeviceSortColumn
  descending: boolean
}

export const DEFAULT_DEVICE_SORT: DeviceSort = { column: 'serial', descending: false }

/**
 * The fields of a row that place it in a sort, serial aside (it comes last in every sort key).
 * Status sorts the devices still in the organisation first, then those that left (the table shows
 * "Left the organisation" for them, whatever their last status was).
 */
export const DEVICE_SORT_FIELDS = {
  serial: [],
  model: ['model'],
  family: ['family'],
  coverage: ['coverage'],
  coverageEnd: ['coverageEnd'],
  status: ['inactive', 'status'],
} as const satisfies Record<DeviceSortColumn, readonly (keyof DeviceRow)[]>

type SortField = (typeof DEVICE_SORT_FIELDS)[DeviceSortColumn][number]

/** A row's place in a sort: its serial and the fields its sort column needs (DEVICE_SORT_FIELDS). */
export type DeviceKey = Pick<DeviceRow, 'serial'> & Partial<Pick<DeviceRow, SortField>>

export function deviceKey(row: DeviceRow, column: DeviceSortColumn): DeviceKey {
  const key: Record<string, unknown> = { serial: row.serial }
  for (const field of DEVICE_SORT_FIELDS[column]) key[field] = row[field]
  return key as DeviceKey
}
