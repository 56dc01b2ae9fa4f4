// add, remove, change and check: the credential commands, over the same services as the app
// (list, which runs most often, has a module of its own: credential-list.ts).
import { randomUUID } from 'node:crypto'
import { scopeSchema, shortFingerprint, type Credential } from '../../preload/model'
import { testConnection } from '../auth/test-connection'
import type { AppServices } from '../services'
import type { VaultServices } from '../vault-services'
import { VaultError } from '../vault/errors'
import { parseCommand, required } from './args'
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from './io'
import { readKeyFile } from './key-file'
import { describeProgress, describeRecovery } from './progress'
import { findTenant } from './tenant-lookup'

const credentialFields = {
  name: { type: 'string' },
  'client-id': { type: 'string' },
  'key-id': { type: 'string' },
  key: { type: 'string' },
} as const

export async function addCredential(
  args: string[],
  io: CliIO,
  open: () => VaultServices,
): Promise<number> {
  const { values } = parseCommand(
    args,
    {
      ...credentialFields,
      scope: { type: 'string' },
      tenant: { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  )
  const scope = values.scope === undefined ? undefined : scopeSchema.safeParse(values.scope)
  if (scope && !scope.success) throw new UsageError('--scope is business or school')
  const key = await readKeyFile(required(values.key, '--key'), io)
  const { vault } = open()
  // The CLI has no start-up: an add or a remove first settles what a killed one left behind.
  await vault.recover()
  const credential = await vault.add({
    name: required(values.name, '--name'),
    clientId: required(values['client-id'], '--client-id'),
    keyId: required(values['key-id'], '--key-id'),
    scope: scope?.data,
    tenantId:
      values.tenant === undefined ? undefined : findTenant(vault.tenants(), values.tenant).id,
    key,
  })
  printCredential(credential, Boolean(values.json), io, 'Added')
  return EXIT_OK
}

export async function removeCredential(
  args: string[],
  io: CliIO,
  open: () => VaultServices,
): Promise<number> {
  const { values, positionals } = parseCommand(
    args,
    {
      'keep-data': { type: 'boolean' },
      'delete-data': { type: 'boolean' },
      confirm: { type: 'string' },
    },
    1,
  )
  if (values['keep-data'] && values['delete-data']) {
    throw new UsageError('choose one of --keep-data and --delete-data')
  }
  const { vault } = open()
  await vault.recover()
  const credential = vault.find(positionals[0] as string)
  const tenantData = values['keep-data'] ? 'keep' : values['delete-data'] ? 'delete' : undefined
  const result = await vault
    .remove(credential.id, { tenantData, confirmName: values.confirm })
    .catch((error: unknown) => {
      if (error instanceof VaultError && error.code === 'tenant_data_decision_required') {
        const tenant = vault.tenant(credential.tenantId).name
        throw new VaultError(
          error.code,
          `${error.message} Add --keep-data, or --delete-data --confirm "${tenant}".`,
        )
      }
      throw error
    })
  // A kept tenant stays behind without a credential; say so, since nothing else shows it.
  const keptTenant = vault
    .tenants()
    .find((t) => t.id === credential.tenantId && t.activeCredentialId === null)
  const what = result.dataDeleted
    ? ' and its tenant’s data'
    : keptTenant
      ? `; the devices and coverage of "${keptTenant.name}" were kept (add a credential with --tenant to use them again)`
      : ''
  io.stderr(`Removed "${credential.name}"${what}.`)
  return EXIT_OK
}

export async function changeCredential(
  args: string[],
  io: CliIO,
  open: () => AppServices,
): Promise<number> {
  const { values, positionals } = parseCommand(
    args,
    { ...credentialFields, 'confirm-offline': { type: 'boolean' }, json: { type: 'boolean' } },
    1,
  )
  const key = await readKeyFile(required(values.key, '--key'), io)
  const { vault, rotation } = open()
  // A change that a killed process left unfinished would block this one. The app deals with such
  // runs when it starts; the command line has no start-up of its own, so it does it here.
  for (const result of await rotation.recover()) io.stderr(describeRecovery(result))
  const current = vault.find(positionals[0] as string)
  const outcome = await rotation.rotate({
    runId: randomUUID(),
    credentialId: current.id,
    name: required(values.name, '--name'),
    clientId: required(values['client-id'], '--client-id'),
    keyId: required(values['key-id'], '--key-id'),
    key,
    confirmOffline: Boolean(values['confirm-offline']),
    onProgress: (progress) => io.stderr(describeProgress(progress)),
  })
  if (values.json) {
    io.stdout(JSON.stringify(outcome, null, 2))
  } else {
    const how = outcome.confirmation === 'oauth' ? 'confirmed with Apple' : 'confirmed offline'
    io.stdout(
      `Changed "${current.name}" to credential ${outcome.newCredentialId} (${how}); ` +
        `${outcome.after.devices} devices and ${outcome.after.coverage} coverage records carried over.`,
    )
  }
  return EXIT_OK
}

export async function checkCredential(
  args: string[],
  io: CliIO,
  open: () => AppServices,
): Promise<number> {
  const { values, positionals } = parseCommand(args, { json: { type: 'boolean' } }, 1)
  const services = open()
  const credential = services.vault.find(positionals[0] as string)
  const result = await testConnection(services, credential.id)
  if (values.json) io.stdout(JSON.stringify(result, null, 2))
  else (result.ok ? io.stdout : io.stderr)(`${credential.name}: ${result.message}`)
  return result.ok ? EXIT_OK : EXIT_FAILED
}

function printCredential(credential: Credential, json: boolean, io: CliIO, verb: string): void {
  if (json) {
    io.stdout(JSON.stringify(credential, null, 2))
    return
  }
  io.stdout(credential.id)
  io.stderr(
    `${verb} "${credential.name}" (${credential.clientId}), key ${shortFingerprint(credential.publicKeyFingerprint)}.`,
  )
}
