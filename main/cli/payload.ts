// payload build | inspect | import: the admin's tools for managed-credential payloads. Passphrases
// come from the environment or a prompt, never from the command line (argv is visible to every user).
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Credential, ManagedProblem } from '../../preload/model'
import { PolicyFileSource } from '../managed/file-source'
import {
  ManagedImports,
  type AuditAppender,
  type CredentialAdder,
  type CredentialRotator,
} from '../managed/managed-imports'
import { ManagedImportError, PayloadBuildError } from '../managed/errors'
import { buildPayload, inspectPayload, type InspectedEntry } from '../managed/packager'
import type { StateStore } from '../vault/state-store'
import { parseCommand, required } from './args'
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from './io'
import { formatTable } from './table'
import { describeProgress, describeRecovery } from './progress'
import type { RotationEngine } from '../rotation/rotation-engine'
import { assertOutsideDataDir, writeFileAtomic } from '../files'
import { shortFingerprint } from '../../preload/model'

/** What `payload import` needs of the app's services. */
export interface PayloadServices {
  dataDir: string
  state: StateStore
  vault: CredentialAdder & { find(idOrName: string): Credential }
  rotation: CredentialRotator & Pick<RotationEngine, 'recover'>
  audit: AuditAppender
}

const USAGE = `usage: axm-credentials payload build --csv FILE --out FILE [--format plist|mobileconfig]
       axm-credentials payload inspect FILE [--json]
       axm-credentials payload import FILE --entry ID (--as-new | --replace CREDENTIAL) [--confirm-offline] [--json]`

export async function runPayloadCommand(
  args: string[],
  io: CliIO,
  open: () => PayloadServices,
): Promise<number> {
  const [sub, ...rest] = args
  switch (sub) {
    case 'build':
      return build(rest, io, open)
    case 'inspect':
      return inspect(rest, io)
    case 'import':
      return importEntry(rest, io, open)
    default:
      throw new UsageError(USAGE)
  }
}

async function build(args: string[], io: CliIO, open: () => PayloadServices): Promise<number> {
  const { values } = parseCommand(
    args,
    {
      csv: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string', default: 'plist' },
    },
    0,
  )
  const csvPath = required(values.csv, '--csv')
  const outPath = required(values.out, '--out')
  const format = values.format
  if (format !== 'plist' && format !== 'mobileconfig') {
    throw new UsageError('--format is plist or mobileconfig')
  }
  assertOutsideDataDir(open().dataDir, outPath)
  const csvText = readText(csvPath)
  const passphrase = await newPassphrase(io)
  let result: { bytes: Buffer; entries: number }
  try {
    result = buildPayload({ csvText, passphrase, baseDir: dirname(csvPath), format })
  } catch (error) {
    if (!(error instanceof PayloadBuildError) || error.problems.length === 0) throw error
    io.stderr('The CSV has problems; nothing was written:')
    for (const problem of error.problems) io.stderr(`  line ${problem.line}: ${problem.message}`)
    return EXIT_FAILED
  }
  // The payload holds encrypted keys only, yet there is no reason for other users to read it.
  writeFileAtomic(outPath, result.bytes)
  io.stdout(outPath)
  io.stderr(`Wrote ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'} to ${outPath}.`)
  return EXIT_OK
}

async function inspect(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(args, { json: { type: 'boolean' } }, 1)
  const file = positionals[0] as string
  // Read with the same rules as the AXM_MANAGED_PREFS override, so inspect tells whether the app
  // would accept the file as it is.
  const read = await new PolicyFileSource(file, { trustedOwnerUid: null }).read()
  if (!read.present) throw new ManagedImportError('not_found', `${file} does not exist.`)
  if ('error' in read) throw new ManagedImportError('invalid_input', read.error)
  const report = inspectPayload(read.payload)
  if (values.json) {
    io.stdout(JSON.stringify(report, null, 2))
  } else {
    if (report.entries.length > 0) io.stdout(entryTable(report.entries))
    reportProblems(report.problems, io)
  }
  return report.problems.length === 0 ? EXIT_OK : EXIT_FAILED
}

async function importEntry(
  args: string[],
  io: CliIO,
  open: () => PayloadServices,
): Promise<number> {
  const { values, positionals } = parseCommand(
    args,
    {
      entry: { type: 'string' },
      'as-new': { type: 'boolean' },
      replace: { type: 'string' },
      'confirm-offline': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    1,
  )
  const entryId = required(values.entry, '--entry')
  if (Boolean(values['as-new']) === (values.replace !== undefined)) {
    throw new UsageError('choose one of --as-new and --replace CREDENTIAL')
  }
  const services = open()
  const replaced = values.replace === undefined ? undefined : services.vault.find(values.replace)
  // Only the entries of this one file are in view: credentials managed by the platform's
  // sources must not be released because this file does not list them.
  const imports = new ManagedImports({
    ...services,
    sources: [new PolicyFileSource(positionals[0] as string, { trustedOwnerUid: null })],
    releaseDeparted: false,
  })
  const { entries, problems } = await imports.overview()
  const entry = entries.find((candidate) => candidate.id === entryId)
  if (!entry) {
    reportProblems(problems, io)
    throw new ManagedImportError(
      'not_found',
      `${positionals[0]} has no valid entry "${entryId}"; nothing was imported.`,
    )
  }
  if (entry.status !== 'pending') {
    throw new ManagedImportError(
      'invalid_input',
      `Revision ${entry.revision} of "${entry.name}" was already ${entry.status}; nothing was imported.`,
    )
  }
  const passphrase =
    io.env.AXM_KEY_PASSPHRASE ?? (await prompt(io, `Passphrase for "${entry.name}": `))
  // The CLI has no start-up step: a change an earlier run left unfinished is settled first.
  if (replaced)
    for (const run of await services.rotation.recover()) io.stderr(describeRecovery(run))
  const result = await imports.importEntry({
    entryId,
    revision: entry.revision,
    passphrase,
    replaceCredentialId: replaced?.id,
    runId: randomUUID(),
    confirmOffline: Boolean(values['confirm-offline']),
    onProgress: (progress) => io.stderr(describeProgress(progress)),
  })
  if (values.json) {
    io.stdout(JSON.stringify(result, null, 2))
  } else {
    io.stdout(result.credential.id)
    const how = replaced ? `replacing "${replaced.name}"` : 'as a new credential'
    io.stderr(
      `Imported "${entry.name}" revision ${entry.revision} ${how}, key ${shortFingerprint(result.credential.publicKeyFingerprint)}.`,
    )
  }
  return EXIT_OK
}

/** The payload passphrase: from AXM_PAYLOAD_PASSPHRASE, else typed twice. */
async function newPassphrase(io: CliIO): Promise<string> {
  const fromEnv = io.env.AXM_PAYLOAD_PASSPHRASE
  if (fromEnv !== undefined) return fromEnv
  const first = await prompt(io, 'Passphrase for the payload (at least 12 characters): ')
  const second = await prompt(io, 'The same passphrase again: ')
  if (first !== second)
    throw new PayloadBuildError('The two passphrases differ; nothing was written.')
  return first
}

function prompt(io: CliIO, question: string): Promise<string> {
  if (!io.promptSecret) {
    throw new UsageError('no terminal to ask for the passphrase; set it in the environment instead')
  }
  return io.promptSecret(question)
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    throw new PayloadBuildError(`${path} could not be read.`)
  }
}

function entryTable(entries: InspectedEntry[]): string {
  return formatTable(
    ['ID', 'NAME', 'CLIENT ID', 'KEY ID', 'SCOPE', 'REV', 'KEY', 'PROTECTION', 'FINGERPRINT'],
    entries.map((entry) => [
      entry.id,
      entry.name,
      entry.clientId,
      entry.keyId,
      entry.scope,
      String(entry.revision),
      entry.keyFormat,
      describeProtection(entry),
      entry.publicKeyFingerprint ? shortFingerprint(entry.publicKeyFingerprint) : '-',
    ]),
  )
}

function describeProtection({ encryption }: InspectedEntry): string {
  if (!encryption) return 'unreadable without passphrase'
  const { scheme, kdf, prf, iterations, cipher } = encryption
  const rounds = iterations && `${iterations.toLocaleString('en-US')} iter`
  return [scheme === 'PBES2' ? undefined : scheme, kdf, prf, rounds, cipher]
    .filter(Boolean)
    .join(' ')
}

export function reportProblems(problems: ManagedProblem[], io: CliIO): void {
  for (const problem of problems) {
    const where =
      problem.index === null
        ? ''
        : `entry ${problem.index + 1}${problem.entryId ? ` ("${problem.entryId}")` : ''}: `
    io.stderr(`${where}${problem.message}`)
  }
}
