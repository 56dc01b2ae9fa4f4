// How values read on screen. One place, so a date or a label looks the same everywhere (key
// fingerprints are shortened by shortFingerprint in preload/model.ts, shared with the CLI).
import type { AuditKind, RotationStep, Scope } from '../../preload/model'

/** The locale dates and counts are written in: the system's, or the boot's (see formatIn). */
let locale: string | undefined

/**
 * From now on, writes dates and counts as `tag` (BCP 47) does: main draws the opening screen's
 * markup in its locale, and the window's first render must write every value as main did.
 */
export function formatIn(tag: string): void {
  locale = tag
}

/**
 * Made on first use, not as the bundle loads (the first Intl formatter of a renderer process loads
 * ICU's locale data, which takes 25–100 ms), and made again if the locale changes.
 */
function madeOnce<T>(make: (tag: string | undefined) => T): () => T {
  let made: { tag: string | undefined; value: T } | undefined
  return () => {
    if (!made || made.tag !== locale) made = { tag: locale, value: make(locale) }
    return made.value
  }
}

const dateTime = madeOnce(
  (tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' }),
)
const dateOnly = madeOnce((tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium' }))
const count = madeOnce((tag) => new Intl.NumberFormat(tag))

function parse(iso: string): Date | null {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? null : date
}

export function formatDateTime(iso: string): string {
  const date = parse(iso)
  return date ? dateTime().format(date) : iso
}

export function formatDate(iso: string | null): string {
  if (!iso) return '—'
  const date = parse(iso)
  return date ? dateOnly().format(date) : iso
}

const DAY_MS = 24 * 60 * 60 * 1000

/** "today", "12 days", "5 months", "2 years": how long ago `iso` was, from `nowMs`. */
export function formatAge(iso: string, nowMs: number): string {
  const date = parse(iso)
  if (!date) return '—'
  const days = Math.floor((nowMs - date.getTime()) / DAY_MS)
  if (days < 1) return 'today'
  if (days < 60) return days === 1 ? '1 day' : `${days} days`
  const months = Math.floor(days / 30.44)
  if (months < 24) return `${months} months`
  return `${Math.floor(days / 365.25)} years`
}

/** "just now", "5 minutes ago", "3 hours ago", else the date and time. */
export function formatSince(iso: string, nowMs: number): string {
  const date = parse(iso)
  if (!date) return iso
  const minutes = Math.floor((nowMs - date.getTime()) / 60_000)
  if (minutes < 1) return 'just now'
  if (minutes < 60) return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return hours === 1 ? '1 hour ago' : `${hours} hours ago`
  return `on ${dateTime().format(date)}`
}

export const scopeLabel: Record<Scope, string> = {
  business: 'Business',
  school: 'School',
}

export const scopeProduct: Record<Scope, string> = {
  business: 'Apple Business Manager',
  school: 'Apple School Manager',
}

export const auditKindLabel: Record<AuditKind, string> = {
  'credential.added': 'Credential added',
  'credential.renamed': 'Credential renamed',
  'credential.removed': 'Credential removed',
  'credential.rotated': 'Credential changed',
  'rotation.failed': 'Change failed',
  'rotation.recovered': 'Change recovered',
  'check.passed': 'Connection OK',
  'check.failed': 'Connection failed',
  'tenant.removed': 'Tenant removed',
  'tenant.imported': 'Devices imported',
  'managed.imported': 'Managed import',
  'tenant.renamed': 'Tenant renamed',
  'key.revoked': 'Old key revoked',
}

export const rotationStepLabel: Record<RotationStep, string> = {
  validate: 'Validate',
  stage: 'Stage new key',
  confirm: 'Confirm with Apple',
  cutover: 'Cut over',
  purge: 'Remove old key',
}

/** "1,234": a number as the admin's locale writes it. */
export function formatCount(value: number): string {
  return count().format(value)
}

export function plural(value: number, one: string, many = `${one}s`): string {
  return `${formatCount(value)} ${value === 1 ? one : many}`
}
