// list: the credentials as a table or as JSON. A module of its own, so the command run most often
// loads the vault and the table, not the key parsing, the rotation or the network of the others.
import { shortFingerprint } from '../../preload/rules'
import type { VaultServices } from '../vault-services'
import { parseCommand } from './args'
import { EXIT_OK, type CliIO } from './io'
import { formatTable } from './table'

export function listCredentials(args: string[], io: CliIO, open: () => VaultServices): number {
  const { values } = parseCommand(args, { json: { type: 'boolean' } }, 0)
  const credentials = open().vault.list()
  if (values.json) {
    io.stdout(JSON.stringify(credentials, null, 2))
  } else if (credentials.length === 0) {
    io.stderr('No credentials yet. Add one with: axm-credentials add --help')
  } else {
    io.stdout(
      formatTable(
        ['NAME', 'CLIENT ID', 'KEY ID', 'SCOPE', 'FINGERPRINT', 'STATUS', 'ORIGIN', 'ID'],
        credentials.map((c) => [
          c.name,
          c.clientId,
          c.keyId,
          c.scope,
          shortFingerprint(c.publicKeyFingerprint),
          c.status,
          c.origin,
          c.id,
        ]),
      ),
    )
  }
  return EXIT_OK
}
