// list: the credentials as a table or as JSON. A module of its own, so the command run most often
// loads the state file and the table: not the vault's keychain, audit log and tenant databases
// (nor node:crypto, which they load), nor the key parsing, the rotation or the network of others.
import { shortFingerprint } from '../../preload/rules'
import { oldestFirst } from '../vault/credential-order'
import type { StateStore } from '../vault/state-store'
import { parseCommand } from './args'
import { EXIT_OK, type CliIO } from './io'
import { formatTable } from './table'

export function listCredentials(args: string[], io: CliIO, open: () => StateStore): number {
  const { values } = parseCommand(args, { json: { type: 'boolean' } }, 0)
  const credentials = oldestFirst(open().read().credentials)
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
