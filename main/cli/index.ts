// axm-credentials: the app's services on the command line, without Electron. Results go to stdout,
// messages to stderr; exit 0 success, 1 refused or failed, 2 wrong usage.
import { resolveTokenUrl, TOKEN_URL_ENV, tokenUrlOverride } from '../auth/token-client'
import { toAppError } from '../ipc/app-error'
import { resolveDataDir } from '../paths'
import { API_URL_ENV, apiUrlOverride } from '../sync/api-base'
import { createServices, type AppServices } from '../services'
import { runCredentialCommand } from './credential-commands'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io'
import { runKeyCommand } from './key-commands'
import { runManagedCommand } from './managed'
import { runPayloadCommand } from './payload'
import { runSyncCommand } from './sync-commands'
import { runTenantCommand } from './tenant-commands'
import { terminalSafeIO } from './terminal-text'

export const USAGE = `Usage: axm-credentials [--data-dir DIR] COMMAND

Credentials
  list [--json]                              list credentials
  add --name N --client-id C --key-id K --key FILE [--scope business|school]
      [--tenant TENANT]                      join a tenant whose data remove --keep-data kept
  remove CREDENTIAL [--keep-data | --delete-data --confirm TENANT-NAME]
  change CREDENTIAL --name N --client-id C --key-id K --key FILE [--confirm-offline]
  check CREDENTIAL                           test the connection to Apple
Keys
  key inspect FILE [--json]                  format, curve and fingerprint of a private key
Tenant data
  tenant import-csv TENANT FILE [--json]     import devices and coverage from CSV
  sync TENANT [--partial | --device SERIAL | --force] [--json]
                                             sync devices and AppleCare coverage from Apple
  sync history TENANT [--json]               the tenant's past syncs
  tenant rename TENANT NAME [--json]         give the tenant a new name (its credentials keep theirs)
Managed credentials
  payload build --csv FILE --out FILE [--format plist|mobileconfig]
  payload inspect FILE [--json]
  payload import FILE --entry ID (--as-new | --replace CREDENTIAL)
  managed status [--json]

CREDENTIAL and TENANT are an id or a name. Passphrases come from AXM_KEY_PASSPHRASE
(AXM_PAYLOAD_PASSPHRASE for payload build) or a prompt, never from the command line.
State lives in --data-dir, else AXM_DATA_DIR, else the app's own folder.`

/** The CLI is "packaged" when it runs from an installed app, where test endpoints are refused. */
const packaged = import.meta.dirname.includes('app.asar')

export async function runCli(argv: string[], terminal: CliIO): Promise<number> {
  const io = terminalSafeIO(terminal)
  let services: AppServices | undefined
  try {
    const { dataDir, rest } = extractDataDir(argv)
    const [command, ...args] = rest
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE)
      return command ? EXIT_OK : EXIT_USAGE
    }
    const open = (): AppServices => {
      if (!services) {
        const token = tokenUrlOverride({ packaged, env: io.env })
        if (token) io.stderr(testEndpointWarning(token, 'token endpoint', TOKEN_URL_ENV))
        const api = apiUrlOverride({ packaged, env: io.env })
        if (api) io.stderr(testEndpointWarning(api, 'API', API_URL_ENV))
      }
      services ??= createServices({
        dataDir: resolveDataDir(dataDir, io.env),
        tokenUrl: resolveTokenUrl({ packaged, env: io.env }),
        packaged,
        env: io.env,
      })
      return services
    }
    switch (command) {
      case 'key':
        return await runKeyCommand(args, io)
      case 'list':
      case 'add':
      case 'remove':
      case 'change':
      case 'check':
        return await runCredentialCommand(command, args, io, open)
      case 'tenant':
        return await runTenantCommand(args, io, open)
      case 'sync':
        return await runSyncCommand(args, io, open)
      case 'payload':
        return await runPayloadCommand(args, io, open)
      case 'managed':
        return await runManagedCommand(args, io, open)
      default:
        throw new UsageError(`Unknown command “${command}”. Run axm-credentials --help.`)
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`axm-credentials: ${(error as Error).message}`)
      return EXIT_USAGE
    }
    io.stderr(`axm-credentials: ${toAppError(error).message}`)
    return EXIT_FAILED
  } finally {
    await services?.close()
  }
}

/** `--data-dir DIR` may stand anywhere on the line; it is taken out before the command parses. */
function extractDataDir(argv: string[]): { dataDir?: string; rest: string[] } {
  const rest: string[] = []
  let dataDir: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--data-dir') {
      dataDir = argv[++i]
      if (!dataDir) throw new UsageError('--data-dir needs a folder')
    } else if (arg.startsWith('--data-dir=')) {
      dataDir = arg.slice('--data-dir='.length)
    } else {
      rest.push(arg)
    }
  }
  return { dataDir, rest }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
}

/** Said on every run that uses a test endpoint, so it is never mistaken for Apple's. */
export function testEndpointWarning(endpoint: URL, what: string, variable: string): string {
  return `Using the test ${what} ${endpoint.origin} from ${variable}, not Apple's.`
}
