// The admin's packager: turns a CSV of credentials and their PEM key files into a payload an MDM can
// push (a plist for the managed-preferences domain, or a .mobileconfig profile), each key encrypted
// under the admin's passphrase. Also reads a payload back for `payload inspect`, without decrypting.
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import * as plist from 'plist'
import type { ManagedProblem } from '../../preload/model'
import { APP_ID, PRODUCT_NAME } from '../paths'
import { KeyStructureError } from '../vault/asn1'
import { readKeyFileBytes, tooLargeForAKey } from '../vault/key-file-bytes'
import { encryptedPkcs8Pem, encryptPkcs8Der, type KeyEncryption } from '../vault/pbes2'
import { KeyError, parsePrivateKey } from '../vault/private-key'
import { PayloadBuildError } from './errors'
import { describeEncryption, parseManagedPayload, type ManagedEntry } from './payload'

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const MIN_ITERATIONS = 600_000
export const MIN_PASSPHRASE_LENGTH = 12
const CSV_COLUMNS = ['id', 'name', 'scope', 'client_id', 'key_id', 'pem_path'] as const

export interface BuildOptions {
  csvText: string
  passphrase: string
  /** The CSV's folder: pem_path is relative to it. */
  baseDir: string
  format: 'plist' | 'mobileconfig'
  iterations?: number
  /** Lets tests encrypt with fewer than MIN_ITERATIONS to stay fast. Never set by the CLI. */
  testOnlyAllowFewerIterations?: boolean
}

export function buildPayload(options: BuildOptions): { bytes: Buffer; entries: number } {
  const iterations = options.iterations ?? MIN_ITERATIONS
  if (iterations < MIN_ITERATIONS && !options.testOnlyAllowFewerIterations) {
    throw new PayloadBuildError(
      `The iteration count must be at least ${MIN_ITERATIONS.toLocaleString('en-US')}.`,
    )
  }
  if (options.passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new PayloadBuildError(
      `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters: it is all that protects the keys in the payload.`,
    )
  }
  const rows = readRows(options.csvText)
  const problems: { line: number; message: string }[] = []
  const entries = rows.flatMap(({ line, record }) => {
    try {
      return [entryOf(record, options, iterations)]
    } catch (error) {
      if (!(error instanceof KeyError || error instanceof PayloadBuildError)) throw error
      problems.push({ line, message: error.message })
      return []
    }
  })
  if (problems.length === 0) {
    // The reader's own rules check what was built, so a payload the app would refuse is never written.
    for (const problem of parseManagedPayload({ ManagedCredentials: entries }).problems) {
      problems.push({ line: rows[problem.index ?? 0]?.line ?? 1, message: problem.message })
    }
  }
  if (problems.length > 0) {
    const lines = problems.map((problem) => `line ${problem.line}: ${problem.message}`).join('; ')
    throw new PayloadBuildError(`The CSV has problems, nothing was written: ${lines}`, problems)
  }
  const root =
    options.format === 'mobileconfig' ? profileOf(entries) : { ManagedCredentials: entries }
  return { bytes: Buffer.from(plist.build(root), 'utf8'), entries: entries.length }
}

interface CsvRow {
  line: number
  record: Record<string, string>
}

function readRows(csvText: string): CsvRow[] {
  let parsed: { record: string[]; info: { lines: number } }[]
  try {
    // csv-parse's types do not model `info: true`, which wraps each record with its line number.
    parsed = parseCsv(csvText, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof parsed
  } catch (error) {
    throw new PayloadBuildError(`The CSV could not be read: ${(error as Error).message}`)
  }
  const [header, ...rows] = parsed
  const columns = header?.record.map((name) => name.toLowerCase()) ?? []
  const missing = CSV_COLUMNS.filter((column) => !columns.includes(column))
  if (missing.length > 0) {
    throw new PayloadBuildError(
      `The CSV needs the columns ${CSV_COLUMNS.join(',')}; missing: ${missing.join(', ')}.`,
    )
  }
  if (rows.length === 0) throw new PayloadBuildError('The CSV has no credential rows.')
  return rows.map(({ record, info }) => ({
    line: info.lines,
    record: Object.fromEntries(columns.map((column, index) => [column, record[index] ?? ''])),
  }))
}

/** One ManagedCredentials dictionary as the packager writes it. */
type PayloadEntry = Record<string, string | number>

function entryOf(
  record: Record<string, string>,
  options: BuildOptions,
  iterations: number,
): PayloadEntry {
  const pemPath = record.pem_path
  if (!pemPath) throw new PayloadBuildError('pem_path is empty')
  const keyFile = resolve(options.baseDir, pemPath)
  const read = readKeyFileBytes(keyFile)
  if (!read.ok) {
    throw new PayloadBuildError(
      read.reason === 'too_large'
        ? tooLargeForAKey(keyFile)
        : `the key file ${keyFile} could not be read`,
    )
  }
  const key = parsePrivateKey(read.bytes, { fileName: keyFile })
  const pkcs8Der = key.keyObject.export({ type: 'pkcs8', format: 'der' })
  const encrypted = encryptPkcs8Der(pkcs8Der, options.passphrase, { iterations })
  return {
    id: record.id ?? '',
    name: record.name ?? '',
    ...(record.scope && { scope: record.scope }),
    clientId: record.client_id ?? '',
    keyId: record.key_id ?? '',
    revision: revisionOf(record.revision),
    publicKeyFingerprint: key.publicKeyFingerprint,
    privateKey: encryptedPkcs8Pem(encrypted),
  }
}

/** The optional `revision` column: how an admin publishes a new key for an existing id. */
function revisionOf(text: string | undefined): number {
  if (!text) return 1
  const revision = Number(text)
  if (!Number.isSafeInteger(revision) || revision < 1) {
    throw new PayloadBuildError(`revision "${text}" is not a whole number of 1 or more`)
  }
  return revision
}

/** A configuration profile carrying one custom-settings payload of the app's domain. */
function profileOf(entries: PayloadEntry[]) {
  const profileUuid = randomUUID().toUpperCase()
  const payloadUuid = randomUUID().toUpperCase()
  return {
    PayloadContent: [
      {
        PayloadType: APP_ID,
        PayloadIdentifier: `${APP_ID}.credentials.${payloadUuid}`,
        PayloadUUID: payloadUuid,
        PayloadVersion: 1,
        PayloadDisplayName: 'Managed API credentials',
        ManagedCredentials: entries,
      },
    ],
    PayloadType: 'Configuration',
    PayloadIdentifier: `${APP_ID}.profile.${profileUuid}`,
    PayloadUUID: profileUuid,
    PayloadVersion: 1,
    PayloadDisplayName: `${PRODUCT_NAME} credentials`,
    PayloadScope: 'System',
  }
}

export interface InspectedEntry extends Pick<
  ManagedEntry,
  'id' | 'name' | 'clientId' | 'keyId' | 'scope' | 'revision' | 'keyFormat' | 'publicKeyFingerprint'
> {
  /** How the key is protected; null when its structure could not be read without the passphrase. */
  encryption: KeyEncryption | null
}

/** What a payload root holds, entry by entry, without decrypting anything. */
export function inspectPayload(root: unknown): {
  entries: InspectedEntry[]
  problems: ManagedProblem[]
} {
  const { entries, problems } = parseManagedPayload(root)
  return {
    problems,
    entries: entries.map((entry) => ({
      id: entry.id,
      name: entry.name,
      clientId: entry.clientId,
      keyId: entry.keyId,
      scope: entry.scope,
      revision: entry.revision,
      keyFormat: entry.keyFormat,
      encryption: encryptionOf(entry),
      ...(entry.publicKeyFingerprint && { publicKeyFingerprint: entry.publicKeyFingerprint }),
    })),
  }
}

function encryptionOf(entry: ManagedEntry): KeyEncryption | null {
  try {
    return describeEncryption(entry)
  } catch (error) {
    if (error instanceof KeyStructureError) return null
    throw error
  }
}
