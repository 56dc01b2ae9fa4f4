// axm-credentials: the app's services on the command line, without Electron. Results go to stdout,
// messages to stderr; exit 0 success, 1 refused or failed, 2 wrong usage. Each command loads its
// own modules when it runs (dynamic imports, separate chunks in the build), so `--help` loads
// nothing and `list` loads the state file alone: no keychain, audit log, tenant databases,
// network, rotation, sync, payload or managed-import code (test/wiring/cli-start.test.ts).
import type { AppServices } from '../services'
import type { WorkerScript } from '../worker-script'
import type { StateStore } from '../vault/state-store'
import type { VaultServices } from '../vault-services'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io'
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
  tenant rename TENANT NAME [--json]         give the tenant a new name (its credentials keep theirs)
  sync TENANT [--partial | --device SERIAL | --force] [--json]
                                             sync devices and AppleCare coverage from Apple
  sync history TENANT [--json]               the tenant's past syncs
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

/** What a command is given: its name, its arguments, the terminal, and its services on demand. */
interface CommandContext<Services> {
  command: string
  args: string[]
  io: CliIO
  open: () => Services
}

type Run<Services> = (context: CommandContext<Services>) => Promise<number>

/**
 * Each command names the services it opens, and only their modules are loaded: none, the state
 * file alone, the vault and what it stands on (vault-services.ts), or all of the app's
 * (services.ts).
 */
type Command =
  | { services: 'none'; run: Run<never> }
  | { services: 'state'; run: Run<StateStore> }
  | { services: 'vault'; run: Run<VaultServices> }
  | { services: 'app'; run: Run<AppServices> }

const withState = (run: Run<StateStore>): Command => ({ services: 'state', run })
const withVault = (run: Run<VaultServices>): Command => ({ services: 'vault', run })
const withApp = (run: Run<AppServices>): Command => ({ services: 'app', run })

/** Every command, each loading only what it uses. A new command is one line here (and USAGE). */
const COMMANDS: Record<string, Command> = {
  key: {
    services: 'none',
    run: async ({ args, io }) => (await import('./key-commands')).runKeyCommand(args, io),
  },
  list: withState(async ({ args, io, open }) =>
    (await import('./credential-list')).listCredentials(args, io, open),
  ),
  add: withVault(async ({ args, io, open }) =>
    (await import('./credential-commands')).addCredential(args, io, open),
  ),
  remove: withVault(async ({ args, io, open }) =>
    (await import('./credential-commands')).removeCredential(args, io, open),
  ),
  change: withApp(async ({ args, io, open }) =>
    (await import('./credential-commands')).changeCredential(args, io, open),
  ),
  check: withApp(async ({ args, io, open }) =>
    (await import('./credential-commands')).checkCredential(args, io, open),
  ),
  tenant: withVault(async ({ args, io, open }) =>
    (await import('./tenant-commands')).runTenantCommand(args, io, open),
  ),
  payload: withApp(async ({ args, io, open }) =>
    (await import('./payload')).runPayloadCommand(args, io, open),
  ),
  managed: withApp(async ({ args, io, open }) =>
    (await import('./managed')).runManagedCommand(args, io, open),
  ),
  sync: withApp(async ({ args, io, open }) =>
    (await import('./sync-commands')).runSyncCommand(args, io, open),
  ),
}

export async function runCli(argv: string[], terminal: CliIO): Promise<number> {
  const io = terminalSafeIO(terminal)
  let services: VaultServices | undefined
  try {
    const { dataDir, rest } = extractDataDir(argv)
    const [command, ...args] = rest
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE)
      return command ? EXIT_OK : EXIT_USAGE
    }
    const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
    if (!entry) throw new UsageError(`Unknown command "${command}". Run axm-credentials --help.`)
    /** Builds the services at the command's first open(), once, and keeps them for close(). */
    const opener = <S extends VaultServices>(create: () => S): (() => S) => {
      let opened: S | undefined
      return () => (services = opened ??= create())
    }
    const context = { command, args, io }
    if (entry.services === 'state') {
      return await entry.run({ ...context, open: await stateFactory(dataDir, io) })
    }
    if (entry.services === 'vault') {
      return await entry.run({ ...context, open: opener(await vaultFactory(dataDir, io)) })
    }
    if (entry.services === 'app') {
      return await entry.run({ ...context, open: opener(await appFactory(dataDir, io)) })
    }
    return await entry.run({ ...context, open: () => noServices(command) })
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`axm-credentials: ${(error as Error).message}`)
      return EXIT_USAGE
    }
    const { toAppError } = await import('../ipc/app-error')
    io.stderr(`axm-credentials: ${toAppError(error).message}`)
    return EXIT_FAILED
  } finally {
    await services?.close()
  }
}

function noServices(command: string): never {
  throw new Error(`The ${command} command does not use the app’s services.`)
}

/** Loads the state file's modules alone and says how to open it in the data folder. */
async function stateFactory(dataDir: string | undefined, io: CliIO): Promise<() => StateStore> {
  const [settings, { FileStateStore }] = await Promise.all([
    settingsFactory(dataDir, io),
    import('../vault/state-store'),
  ])
  return () => new FileStateStore(settings().dataDir)
}

/** Loads the vault's modules and says how to build it over the data folder. */
async function vaultFactory(dataDir: string | undefined, io: CliIO): Promise<() => VaultServices> {
  const [settings, { createVaultServices }] = await Promise.all([
    settingsFactory(dataDir, io),
    import('../vault-services'),
  ])
  return () => createVaultServices(settings())
}

/** Loads every service's modules and says how to build them. */
async function appFactory(dataDir: string | undefined, io: CliIO): Promise<() => AppServices> {
  const [settings, { createServices }] = await Promise.all([
    settingsFactory(dataDir, io),
    import('../services'),
    validateWithoutCompiling(),
  ])
  return () => createServices({ ...settings(), packaged, env: io.env })
}

/**
 * A run of the CLI validates a few times, not thousands: the compiled fast path of zod's classic
 * object schemas (code it generates per schema) costs more to build than it saves. The checks are
 * the same either way; the app keeps the compiled path. The vault's schemas are zod/mini, which
 * compiles nothing, so only the commands that open all the services set this.
 */
async function validateWithoutCompiling(): Promise<void> {
  const { config } = await import('zod')
  config({ jitless: true })
}

/**
 * The data folder and the token URL, as every command that opens services is given them: each
 * such run says which test endpoints are in effect, and refuses any off this computer.
 */
async function settingsFactory(
  dataDir: string | undefined,
  io: CliIO,
): Promise<() => { dataDir: string; tokenUrl: string; importWorker?: WorkerScript }> {
  const [tokens, paths, apiBase] = await Promise.all([
    import('../auth/token-client'),
    import('../paths'),
    import('../sync/api-base'),
  ])
  const { resolveTokenUrl, tokenUrlOverride, TOKEN_URL_ENV } = tokens
  return () => {
    const token = tokenUrlOverride({ packaged, env: io.env })
    if (token) io.stderr(testEndpointWarning(token, 'token endpoint', TOKEN_URL_ENV))
    const api = apiBase.apiUrlOverride({ packaged, env: io.env })
    if (api) io.stderr(testEndpointWarning(api, 'API', apiBase.API_URL_ENV))
    return {
      dataDir: paths.resolveDataDir(dataDir, io.env),
      tokenUrl: resolveTokenUrl({ packaged, env: io.env }),
      importWorker: io.importWorker,
    }
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
