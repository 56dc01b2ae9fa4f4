// One handler per contract method. Each parses its input with the contract's schema, calls a
// service and answers a Result; nothing here knows about Electron, so the e2e harness serves the
// very same handlers over loopback. Main never answers with a key, a passphrase or a token.
import {
  contract,
  type ContractEvents,
  type EventName,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type Result,
} from '../../preload/contract'
import { auditToCsv } from '../audit/audit-log'
import { testConnection } from '../auth/test-connection'
import { assertOutsideDataDir, writeFileAtomic } from '../files'
import type { AppServices } from '../services'
import { importDevicesCsvFile } from '../tenants/import-devices'
import { RunningJobs } from './running-jobs'
import { describeKey } from '../vault/private-key'
import { toAppError } from './app-error'
import { parseKeyInput } from './key-input'
import { PickedFiles } from './picked-files'

export interface FileFilter {
  name: string
  extensions: string[]
}

/** What the host (Electron, or the test harness) provides: dialogs and a way to push events. */
export interface Platform {
  pickFile(options: { title: string; filters: FileFilter[] }): Promise<string | null>
  saveFile(options: {
    title: string
    defaultName: string
    filters: FileFilter[]
  }): Promise<string | null>
  emit<E extends EventName>(event: E, payload: ContractEvents[E]): void
}

export type Handlers = {
  [M in MethodName]: (input: unknown) => Promise<Result<MethodOutput<M>>>
}

type Implementations = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>
}

const KEY_FILTERS: FileFilter[] = [
  { name: 'Private keys', extensions: ['pem', 'p8', 'key', 'p12', 'pfx'] },
  { name: 'All files', extensions: ['*'] },
]
const CSV_FILTERS: FileFilter[] = [{ name: 'CSV', extensions: ['csv'] }]

export function createHandlers(services: AppServices, platform: Platform): Handlers {
  const picked = new PickedFiles()
  const { vault, tenants, audit, rotation, managed, sync } = services
  // The Test Connection running for each credential, so Cancel can stop it.
  const connectionTests = new Map<string, AbortController>()
  const changed = (what: ContractEvents['dataChanged']['what'], tenantId?: string) =>
    platform.emit('dataChanged', { what, tenantId })
  const progress = (p: ContractEvents['rotationProgress']) => platform.emit('rotationProgress', p)
  sync.onProgress((p) => platform.emit('syncProgress', p))
  const csvImports = new RunningJobs()
  const csvExports = new RunningJobs()

  const implementations: Implementations = {
    listTenants: () => vault.tenants(),
    listCredentials: () => vault.list(),

    pickKeyFile: async () => {
      const path = await platform.pickFile({ title: 'Choose a private key', filters: KEY_FILTERS })
      return path === null ? null : picked.register(path)
    },

    inspectKey: async ({ key, passphrase }) =>
      describeKey(await parseKeyInput(key, passphrase, picked, services.parseKey)),

    addCredential: async ({ key, passphrase, ...fields }) => {
      const parsed = await parseKeyInput(key, passphrase, picked, services.parseKey)
      const credential = await vault.add({ ...fields, key: parsed })
      changed('credentials', credential.tenantId)
      return credential
    },

    renameCredential: async ({ credentialId, name }) => {
      const credential = await vault.rename(credentialId, name)
      changed('credentials', credential.tenantId)
      return credential
    },

    removeCredential: async ({ credentialId, ...options }) => {
      // The tenant's sync stops before its last credential (and maybe its data) goes.
      const { tenantId } = vault.get(credentialId)
      if (vault.tenant(tenantId).activeCredentialId === credentialId) await sync.stop(tenantId)
      const result = await vault.remove(credentialId, options)
      if (result.tenantRemoved || result.dataDeleted) sync.release(tenantId)
      changed('credentials')
      return result
    },

    testConnection: async ({ credentialId }) => {
      connectionTests.get(credentialId)?.abort()
      const controller = new AbortController()
      connectionTests.set(credentialId, controller)
      try {
        const check = await testConnection(services, credentialId, controller.signal)
        changed('credentials')
        return check
      } finally {
        if (connectionTests.get(credentialId) === controller) connectionTests.delete(credentialId)
      }
    },

    deviceCounts: ({ tenantId }) => tenants.open(vault.tenant(tenantId).id).counts(),

    countDeviceView: ({ tenantId, ...view }) =>
      tenants.open(vault.tenant(tenantId).id).countView(view),

    queryDevices: ({ tenantId, ...query }) => tenants.open(vault.tenant(tenantId).id).query(query),

    openingDevices: ({ limit }) => {
      const tenant = vault.openingTenant()
      if (!tenant) return null
      const database = tenants.open(tenant.id)
      const view = { filter: 'all', search: '' } as const
      return {
        tenantId: tenant.id,
        rows: database.query({ ...view, cursor: { from: 'start' }, limit }),
        total: database.countView(view),
        counts: database.counts(),
        sync: sync.overview(tenant.id),
      }
    },

    importDevicesCsv: async ({ tenantId }) => {
      const tenant = vault.tenant(tenantId)
      const path = await platform.pickFile({
        title: 'Import devices from CSV',
        filters: CSV_FILTERS,
      })
      if (path === null) return null
      const report = await csvImports.run(tenant.id, (signal) =>
        importDevicesCsvFile(services, tenant.id, path, {
          signal,
          onProgress: (at) => platform.emit('csvImportProgress', { tenantId: tenant.id, ...at }),
        }),
      )
      changed('devices', tenant.id)
      return report
    },

    cancelCsvImport: ({ tenantId }) => csvImports.cancel(tenantId),

    exportDevicesCsv: async ({ tenantId, filter, search, sort }) => {
      const tenant = vault.tenant(tenantId)
      const path = await platform.saveFile({
        title: 'Export devices as CSV',
        defaultName: `${tenant.name} devices.csv`,
        filters: CSV_FILTERS,
      })
      if (path === null) return null
      assertOutsideDataDir(services.dataDir, path)
      const view =
        filter === undefined && !search
          ? undefined
          : { filter: filter ?? 'all', search: search ?? '' }
      return csvExports.run(tenant.id, (signal) =>
        tenants.open(tenant.id).exportCsvFileCooperatively(path, {
          view,
          sort,
          signal,
          onProgress: (at) => platform.emit('csvExportProgress', { tenantId: tenant.id, ...at }),
        }),
      )
    },

    cancelCsvExport: ({ tenantId }) => csvExports.cancel(tenantId),

    changeCredential: async ({ runId, key, passphrase, ...fields }) => {
      const parsed = await parseKeyInput(key, passphrase, picked, services.parseKey)
      const outcome = await rotation.rotate({ ...fields, runId, key: parsed, onProgress: progress })
      changed('credentials', outcome.tenantId)
      return outcome
    },

    cancelRotation: ({ runId }) => ({ canceled: rotation.cancel(runId) }),

    listAudit: (filter) => audit.list(filter),

    exportAuditCsv: async (filter) => {
      const path = await platform.saveFile({
        title: 'Export audit log as CSV',
        defaultName: 'AxM audit log.csv',
        filters: CSV_FILTERS,
      })
      if (path === null) return null
      assertOutsideDataDir(services.dataDir, path)
      const entries = audit.list(filter)
      writeFileAtomic(path, auditToCsv(entries))
      return { path, rows: entries.length }
    },

    managedState: () => managed.current(),

    importManaged: async (input) => {
      const result = await managed.importEntry({ ...input, onProgress: progress })
      changed('credentials', result.credential.tenantId)
      platform.emit('managedChanged', managed.current())
      return result
    },

    dismissManaged: async ({ entryId, revision }) => {
      await managed.dismiss(entryId, revision)
      platform.emit('managedChanged', managed.current())
      return { dismissed: true as const }
    },

    startSync: async ({ tenantId, kind, force, serial }) => {
      const tenant = vault.tenant(tenantId)
      const { run, done } = await sync.start(tenant.id, { kind, force, serial })
      // The answer comes now; progress and the end arrive as events while the run goes on.
      void done.then(
        () => changed('devices', tenant.id),
        () => changed('devices', tenant.id),
      )
      return run
    },

    cancelSync: ({ tenantId }) => ({ canceled: sync.cancel(vault.tenant(tenantId).id) }),

    syncOverview: ({ tenantId }) => sync.overview(tenantId),

    syncHistory: ({ tenantId }) => sync.history(tenantId),

    deviceDetail: ({ tenantId, serial }) => sync.device(tenantId, serial),
    renameTenant: async ({ tenantId, name }) => {
      const tenant = await vault.renameTenant(tenantId, name)
      changed('credentials', tenant.id)
      return tenant
    },

    markKeyRevoked: ({ credentialId }) => {
      vault.markKeyRevoked(credentialId)
      changed('audit', vault.get(credentialId).tenantId)
      return { recorded: true as const }
    },

    rememberOpenedTenant: async ({ tenantId }) => {
      await vault.rememberOpenedTenant(tenantId)
      return { remembered: true as const }
    },

    cancelConnectionTest: ({ credentialId }) => {
      const controller = connectionTests.get(credentialId)
      controller?.abort()
      return { canceled: controller !== undefined }
    },

    restoreManaged: async ({ entryId, revision }) => {
      const restored = await managed.restore(entryId, revision)
      platform.emit('managedChanged', managed.current())
      return { restored }
    },
  }

  return Object.fromEntries(
    (Object.keys(contract) as MethodName[]).map((name) => [
      name,
      (input: unknown) => invoke(name, implementations[name], input),
    ]),
  ) as Handlers
}

async function invoke<M extends MethodName>(
  name: M,
  implementation: Implementations[M],
  input: unknown,
): Promise<Result<MethodOutput<M>>> {
  const parsed = contract[name].input.safeParse(input ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
    return { ok: false, error: { code: 'invalid_input', message: `${where}${issue?.message}` } }
  }
  try {
    const value = await implementation(parsed.data as MethodInput<M>)
    return { ok: true, value }
  } catch (error) {
    return { ok: false, error: toAppError(error) }
  }
}
