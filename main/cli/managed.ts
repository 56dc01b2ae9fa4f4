// managed status: what the platform's managed-preferences source offers now, and what this machine
// imported or dismissed.
import type { ManagedImports } from '../managed/managed-imports'
import { parseCommand } from './args'
import { EXIT_OK, UsageError, type CliIO } from './io'
import { reportProblems } from './payload'
import { formatTable } from './table'

export interface ManagedServices {
  managed: Pick<ManagedImports, 'overview'>
}

export async function runManagedCommand(
  args: string[],
  io: CliIO,
  open: () => ManagedServices,
): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'status') throw new UsageError('usage: axm-credentials managed status [--json]')
  const { values } = parseCommand(rest, { json: { type: 'boolean' } }, 0)
  const overview = await open().managed.overview()
  if (values.json) {
    io.stdout(JSON.stringify(overview, null, 2))
    return EXIT_OK
  }
  const { source, entries, ledger, dismissed, problems } = overview
  io.stderr(`Source: ${source.location} (${source.present ? 'present' : 'not present'})`)
  if (entries.length > 0) {
    io.stdout(
      formatTable(
        ['ID', 'NAME', 'REV', 'STATUS', 'IMPORTED AS', 'SUGGESTED'],
        entries.map((entry) => [
          entry.id,
          entry.name,
          String(entry.revision),
          entry.status,
          ledger[entry.id]?.credentialId ?? '-',
          entry.suggestedCredentialId ?? '-',
        ]),
      ),
    )
  }
  reportProblems(problems, io)
  const gone = Object.keys({ ...ledger, ...dismissed }).filter(
    (id) => !entries.some((entry) => entry.id === id),
  )
  for (const id of gone) {
    const imported = ledger[id]
    io.stderr(
      imported
        ? `"${id}" (no longer in the source): revision ${imported.revision} imported ${imported.importedAt} as ${imported.credentialId}`
        : `"${id}" (no longer in the source): revision ${dismissed[id]} dismissed`,
    )
  }
  return EXIT_OK
}
