// The worker of the adversarial suite: reads each input the way the app does, in a process with a
// memory budget and a deadline set by the parent (bounded-run.ts), and prints one JSON line per
// input saying what became of it. Payloads go through the real managed-preferences path (source,
// payload rules, the ManagedImports service over a real data folder and keychain); CSVs are
// imported into a real tenant database with its audit entry. Argument: the AdversarialJob as JSON.
import { PolicyFileSource } from '../../main/managed/file-source'
import type { ManagedSource } from '../../main/managed/sources'
import { createServices } from '../../main/services'
import { CsvImportError } from '../../main/tenants/errors'
import { importDevicesCsvFile } from '../../main/tenants/import-devices'

export type AdversarialJob =
  | { kind: 'payload'; dataDir: string; service: string; files: string[] }
  | { kind: 'csv'; dataDir: string; service: string; tenantId: string; files: string[] }

export interface AdversarialOutcome {
  file: string
  /** `read`/`imported`: a result came out; `refused`: a reason; `crashed`: an unexpected throw. */
  outcome: 'read' | 'imported' | 'refused' | 'crashed'
  message?: string
  /** The payload's root as read, in the form comparable with plistlib's (plist.ts). */
  value?: unknown
  pending?: number
  problems?: number
  report?: { rows: number; devices: number; skipped: number }
  /** For a refused CSV: the tenant's data and the audit log as they were before. */
  unchanged?: boolean
}

const job = JSON.parse(process.argv[2] ?? '{}') as AdversarialJob
let current = ''
const source: ManagedSource = {
  get location() {
    return current
  },
  read: () => new PolicyFileSource(current, { trustedOwnerUid: null }).read(),
  watch: () => () => {},
}
const services = createServices({
  dataDir: job.dataDir,
  tokenUrl: 'http://127.0.0.1:9/never-called',
  keychainService: job.service,
  managedSources: [source],
})

/** A value as JSON can carry it and plistlib's reading can be compared with it. */
function comparable(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { data: value.toString('base64') }
  if (value instanceof Date) return 'date'
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan'
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf'
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? 'large' : value
  }
  if (Array.isArray(value)) return value.map(comparable)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, comparable(item)]))
  }
  return value
}

async function readPayload(file: string): Promise<Omit<AdversarialOutcome, 'file'>> {
  current = file
  const read = await source.read()
  const state = await services.managed.refresh()
  if ('error' in read) return { outcome: 'refused', message: read.error }
  return {
    outcome: 'read',
    value: 'payload' in read ? comparable(read.payload) : undefined,
    pending: state.pending.length,
    problems: state.problems.length,
  }
}

async function importCsv(
  tenantId: string,
  file: string,
): Promise<Omit<AdversarialOutcome, 'file'>> {
  const db = services.tenants.open(tenantId)
  const before = { data: db.snapshot(), audit: services.audit.list().length }
  try {
    const report = await importDevicesCsvFile(services, tenantId, file)
    const { rows, devices, skipped } = report
    return { outcome: 'imported', report: { rows, devices, skipped } }
  } catch (error) {
    if (!(error instanceof CsvImportError)) throw error
    const unchanged =
      JSON.stringify(db.snapshot()) === JSON.stringify(before.data) &&
      services.audit.list().length === before.audit
    return { outcome: 'refused', message: error.message, unchanged }
  }
}

for (const file of job.files) {
  let result: Omit<AdversarialOutcome, 'file'>
  try {
    result = job.kind === 'payload' ? await readPayload(file) : await importCsv(job.tenantId, file)
  } catch (error) {
    result = {
      outcome: 'crashed',
      message: error instanceof Error ? String(error.stack) : String(error),
    }
  }
  process.stdout.write(`${JSON.stringify({ file, ...result } satisfies AdversarialOutcome)}\n`)
}
services.close()
