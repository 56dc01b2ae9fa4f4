// The append-only record of what was done to credentials and tenants: `audit.jsonl` in the data
// folder, one JSON object per line. The app and the CLI may append at the same time, so each entry
// is one write() on an O_APPEND descriptor, which the OS never interleaves with another. Entries
// hold names, ids and fingerprints only; anything that looks like key material is refused.
import { randomUUID } from 'node:crypto'
import { userInfo } from 'node:os'
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod/mini'
import { auditKindSchema, type AuditEntry, type AuditKind } from '../../preload/model'
import { formatCsv } from '../tenants/csv-format'

export const AUDIT_FILE_NAME = 'audit.jsonl'

const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: auditKindSchema,
  tenantId: z.optional(z.string()),
  credentialId: z.optional(z.string()),
  summary: z.string(),
  details: z.optional(
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  ),
  user: z.optional(z.string()),
})

/**
 * What key material and tokens look like, and ordinary data does not: PEM armor; a JWT (three
 * base64url segments, the header a JSON object, so `eyJ`); the base64 of a DER key (a SEQUENCE
 * with a long-form length, `MIG`/`MII`/`MIJ`, which PKCS#8 and PKCS#12 keys start with). Long hex
 * is not refused: public key fingerprints belong in the audit.
 */
const SECRET_PATTERNS = [
  /-----BEGIN/,
  /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/,
  /MI[GIJ][A-Za-z0-9+/]{60,}/,
]

export class AuditSecretError extends Error {
  override name = 'AuditSecretError'
  readonly code = 'internal'

  constructor() {
    super(
      'An audit entry was refused because it looked like it held key material. Nothing was written.',
    )
  }
}

/** An entry as a caller gives it; the log adds its id, time and the OS user. */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at' | 'user'>

export interface AuditFilter {
  tenantId?: string
  kind?: AuditKind
  /** Words the summary, the user or an id must contain, case-insensitively. */
  search?: string
  /** At or after this ISO instant. */
  from?: string
  /** Before this ISO instant. */
  until?: string
}

export interface AuditRead {
  /** Newest first. */
  entries: AuditEntry[]
  /** Lines that could not be read, such as one torn by a crash mid-write. */
  skippedLines: number
}

export class AuditLog {
  readonly path: string

  constructor(
    dataDir: string,
    private readonly now: () => Date = () => new Date(),
    private readonly user: () => string | undefined = currentUser,
  ) {
    this.path = join(dataDir, AUDIT_FILE_NAME)
  }

  append(input: NewAuditEntry): AuditEntry {
    const user = this.user()
    const entry = auditEntrySchema.parse({
      id: randomUUID(),
      at: this.now().toISOString(),
      ...input,
      ...(user === undefined ? {} : { user }),
    })
    const line = JSON.stringify(entry)
    if (SECRET_PATTERNS.some((pattern) => pattern.test(line))) throw new AuditSecretError()
    const fd = openSync(this.path, 'a+', 0o600)
    try {
      // A line torn by a crash must not swallow the entry that follows it. Seeing another
      // process's write half-copied only costs an empty line, which reading skips.
      const separator = endsWithNewline(fd) ? '' : '\n'
      writeSync(fd, `${separator}${line}\n`)
    } finally {
      closeSync(fd)
    }
    return entry
  }

  list(filter: AuditFilter = {}): AuditEntry[] {
    return this.read(filter).entries
  }

  read(filter: AuditFilter = {}): AuditRead {
    const entries: AuditEntry[] = []
    let skippedLines = 0
    for (const line of readLines(this.path)) {
      const entry = parseLine(line)
      if (!entry) skippedLines += 1
      else if (matches(entry, filter)) entries.push(entry)
    }
    // The file is in append order, which is the true order even across processes.
    return { entries: entries.reverse(), skippedLines }
  }
}

/**
 * Who made a change: the OS account the app or the CLI runs as. An account the OS cannot name (a
 * container's bare uid) leaves the entry without one rather than failing the change it records.
 */
function currentUser(): string | undefined {
  try {
    return userInfo().username
  } catch {
    return undefined
  }
}

// `user` last: it came after the others, and a spreadsheet built on the older export keeps working.
const CSV_COLUMNS = [
  'at',
  'kind',
  'tenantId',
  'credentialId',
  'summary',
  'details',
  'id',
  'user',
] as const

/** RFC 4180 CSV (CRLF, quoted where needed), safe to open in a spreadsheet. */
export function auditToCsv(entries: AuditEntry[]): string {
  const rows = entries.map((entry) =>
    CSV_COLUMNS.map((column) =>
      column === 'details'
        ? entry.details
          ? JSON.stringify(entry.details)
          : ''
        : (entry[column] ?? ''),
    ),
  )
  return formatCsv([CSV_COLUMNS, ...rows])
}

function endsWithNewline(fd: number): boolean {
  const { size } = fstatSync(fd)
  if (size === 0) return true
  const last = Buffer.alloc(1)
  readSync(fd, last, 0, 1, size - 1)
  return last[0] === 0x0a
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

function parseLine(line: string): AuditEntry | undefined {
  try {
    const parsed = auditEntrySchema.safeParse(JSON.parse(line))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

function matches(entry: AuditEntry, filter: AuditFilter): boolean {
  return (
    (filter.tenantId === undefined || entry.tenantId === filter.tenantId) &&
    (filter.kind === undefined || entry.kind === filter.kind) &&
    (filter.from === undefined || entry.at >= filter.from) &&
    (filter.until === undefined || entry.at < filter.until) &&
    containsWords(entry, filter.search)
  )
}

/** Every word of the search appears in the summary, the user, an id or a detail. */
function containsWords(entry: AuditEntry, search: string | undefined): boolean {
  const words = (search ?? '').toLocaleLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const text = [
    entry.summary,
    entry.user,
    entry.tenantId,
    entry.credentialId,
    ...Object.values(entry.details ?? {}).map(String),
  ]
    .join('\n')
    .toLocaleLowerCase()
  return words.every((word) => text.includes(word))
}
