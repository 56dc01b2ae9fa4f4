// The live sync of tenants from Apple's API: one run per tenant at a time (across the app and the
// CLI, through the run's owner in the tenant database), any number of tenants at once. A run the
// user asks for always runs: a stopped run of the same kind goes on where it stopped, otherwise a
// new one starts. A credential change holds the tenant's run at a safe point and the run goes on
// with the new credential; removing the tenant's last credential stops it.
import { DatabaseSync } from 'node:sqlite'
import type { Tenant } from '../../preload/model'
import type {
  SyncCounts,
  SyncKind,
  SyncOverview,
  SyncProgress,
  DeviceDetail,
  SyncRun,
} from '../../preload/sync-model'
import type { HttpFetch } from '../net/http'
import { ownerMayBeRunning } from '../process-owner'
import { countActiveNoData } from '../tenants/device-queries'
import type { TenantDatabases } from '../tenants/tenant-databases'
import type { Vault } from '../vault/vault'
import type { ApiBaseResolver } from './api-base'
import { AppleApiClient, DEFAULT_RETRY, type RetryPolicy } from './apple-api-client'
import { readDeviceDetail } from './device-detail'
import { PauseGate } from './pause-gate'
import { syncBusy, SyncRequestError } from './sync-errors'
import {
  COUNT_NAMES,
  createRun,
  latestUnfinished,
  readRun,
  resumeRun,
  runHistory,
  runningRuns,
  type StoredRun,
} from './sync-runs'
import { DEFAULT_TUNING, SyncRunner, type SyncTuning } from './sync-run'
import { TenantLimiter } from './tenant-limiter'
import { AccessTokenSource } from './token-source'
import { withWriteRetry } from './write-retry'

export interface SyncRequest {
  kind: SyncKind
  /** Full runs: fetch every device's coverage, however fresh. */
  force?: boolean
  /** Device runs: the serial number. */
  serial?: string
}

export interface SyncServiceDeps {
  vault: Pick<Vault, 'tenant' | 'get' | 'secretPem'>
  tenants: Pick<TenantDatabases, 'open' | 'path'>
  http: HttpFetch
  tokenUrl: string
  apiBase: ApiBaseResolver
  tuning?: Partial<SyncTuning>
  retry?: Partial<RetryPolicy>
  now?: () => Date
  /** Told how long each write transaction of a run took; for the bench. */
  onWrite?(ms: number): void
}

interface ActiveRun {
  runId: number
  done: Promise<StoredRun>
  abort: AbortController
  gate: PauseGate
  tokens: AccessTokenSource
  /** Every credential whose token the run used, the stored ones first. */
  credentialIds: string[]
  progress: SyncProgress | null
}

/** Serial numbers as Apple writes them; anything else is refused before a request is made. */
const SERIAL = /^[A-Za-z0-9-]{1,64}$/

export class SyncService {
  readonly #deps: SyncServiceDeps
  readonly #tuning: SyncTuning
  readonly #retry: RetryPolicy
  readonly #now: () => Date
  readonly #active = new Map<string, ActiveRun>()
  readonly #connections = new Map<string, DatabaseSync>()
  readonly #listeners = new Set<(progress: SyncProgress) => void>()

  constructor(deps: SyncServiceDeps) {
    this.#deps = deps
    this.#tuning = { ...DEFAULT_TUNING, ...deps.tuning }
    this.#retry = { ...DEFAULT_RETRY, ...deps.retry }
    this.#now = deps.now ?? (() => new Date())
    if (this.#tuning.coverageConcurrency > 4) {
      throw new RangeError('Apple throttles more than 4 coverage requests at once')
    }
  }

  /**
   * Starts (or resumes) a run and answers once it is under way; `done` resolves with the run as it
   * ended. Refused with a SyncError when the tenant already syncs, here or in another process.
   */
  async start(
    tenantId: string,
    request: SyncRequest,
  ): Promise<{ run: SyncRun; done: Promise<SyncRun> }> {
    const tenant = this.#deps.vault.tenant(tenantId)
    if (this.#active.has(tenant.id)) throw syncBusy()
    const serial = request.kind === 'device' ? checkedSerial(request.serial) : null
    const db = this.#connection(tenant.id)
    const run = await this.#claim(db, request, serial)
    const credentialIds = [...run.credentialIds]
    const active: ActiveRun = {
      runId: run.id,
      abort: new AbortController(),
      gate: new PauseGate(),
      tokens: this.#tokenSource(tenant.id, credentialIds),
      credentialIds,
      progress: null,
      done: Promise.resolve(run),
    }
    const runner = this.#runner(tenant, db, run, active)
    active.done = runner.execute().finally(() => this.#active.delete(tenant.id))
    this.#active.set(tenant.id, active)
    return { run: { ...run }, done: active.done }
  }

  /** Cancels the tenant's run; it stops after writing what it has. False when none runs here. */
  cancel(tenantId: string): boolean {
    const active = this.#active.get(tenantId)
    active?.abort.abort()
    return active !== undefined
  }

  /** Cancels the tenant's run and waits until it has stopped. */
  async stop(tenantId: string): Promise<void> {
    const active = this.#active.get(tenantId)
    if (!active) return
    active.abort.abort()
    await active.done.catch(() => undefined)
  }

  /**
   * Holds the tenant's run (if one runs here) at its next safe point: the batch in hand is written,
   * nothing more until the returned function is called. Then it goes on with a new token, signed
   * by whichever credential is active by then.
   */
  async hold(tenantId: string): Promise<() => void> {
    const active = this.#active.get(tenantId)
    if (!active) return () => {}
    const release = await active.gate.hold(active.done)
    return () => {
      active.tokens.reset()
      release()
    }
  }

  /** Calls `listener` with the progress of every run; the answer unsubscribes. */
  onProgress(listener: (progress: SyncProgress) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Progress of the tenant's run in this process, or null. */
  progress(tenantId: string): SyncProgress | null {
    return this.#active.get(tenantId)?.progress ?? null
  }

  overview(tenantId: string): SyncOverview {
    const tenant = this.#deps.vault.tenant(tenantId)
    const db = this.#connection(tenant.id)
    const ended = db
      .prepare(
        `SELECT id FROM sync_runs WHERE source = 'api' AND status != 'running' ORDER BY id DESC LIMIT 1`,
      )
      .get()
    const complete = db
      .prepare(
        `SELECT finished_at FROM sync_runs WHERE source = 'api' AND kind = 'full' AND status = 'complete'
         ORDER BY id DESC LIMIT 1`,
      )
      .get()
    return {
      running: this.progress(tenant.id),
      lastRun: ended ? publicRun(readRun(db, Number(ended.id))) : null,
      lastCompleteAt: (complete?.finished_at as string | undefined) ?? null,
      devicesWithoutData: countActiveNoData(db),
    }
  }

  history(tenantId: string, limit = 50): SyncRun[] {
    const tenant = this.#deps.vault.tenant(tenantId)
    return runHistory(this.#connection(tenant.id), limit).map((run) => publicRun(run) as SyncRun)
  }

  device(tenantId: string, serial: string): DeviceDetail {
    const tenant = this.#deps.vault.tenant(tenantId)
    return readDeviceDetail(this.#connection(tenant.id), checkedSerial(serial))
  }

  /** Whether any run is going on in this process. */
  get running(): boolean {
    return this.#active.size > 0
  }

  /**
   * Cancels every run and waits for each to write its last batch, then closes the connections:
   * at once when nothing runs, so a caller can close the databases right after.
   */
  async close(): Promise<void> {
    if (this.running) {
      await Promise.all([...this.#active.keys()].map((tenantId) => this.stop(tenantId)))
    }
    for (const db of this.#connections.values()) if (db.isOpen) db.close()
    this.#connections.clear()
  }

  /** Forgets the tenant's connection, e.g. before its database is deleted. */
  release(tenantId: string): void {
    const db = this.#connections.get(tenantId)
    if (db?.isOpen) db.close()
    this.#connections.delete(tenantId)
  }

  async #claim(db: DatabaseSync, request: SyncRequest, serial: string | null): Promise<StoredRun> {
    const at = this.#now().toISOString()
    return withWriteRetry(() => {
      db.exec('BEGIN IMMEDIATE')
      try {
        const now = this.#now()
        // Another process's run is live while its owner is; a killed owner's run may go on here.
        const live = runningRuns(db).find(
          (run) =>
            run.ownerPid !== null &&
            ownerMayBeRunning(
              { ownerPid: run.ownerPid, updatedAt: run.updatedAt ?? run.startedAt },
              now,
            ),
        )
        if (live) throw syncBusy()
        const resumable = latestUnfinished(db, request.kind, serial, request.force ?? false)
        let id: number
        if (resumable) {
          resumeRun(db, resumable.id, at)
          id = resumable.id
        } else {
          id = createRun(db, {
            kind: request.kind,
            forced: request.force ?? false,
            serial,
            at,
            phase: request.kind === 'partial' ? 'coverage' : 'devices',
          })
        }
        // Runs of killed owners that are not resumed here are over.
        db.prepare(
          `UPDATE sync_runs SET status = 'canceled', stop_reason = 'canceled', finished_at = ?,
             message = 'Stopped when the app or the command line running it ended.'
           WHERE source = 'api' AND status = 'running' AND id != ?`,
        ).run(at, id)
        db.exec('COMMIT')
        return readRun(db, id) as StoredRun
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK')
        throw error
      }
    })
  }

  #runner(tenant: Tenant, db: DatabaseSync, run: StoredRun, active: ActiveRun): SyncRunner {
    const counts = countsOf(run)
    const api = new AppleApiClient({
      http: this.#deps.http,
      baseUrl: this.#deps.apiBase(tenant.scope),
      scope: tenant.scope,
      tokens: active.tokens,
      limiter: new TenantLimiter(this.#tuning.coverageConcurrency),
      counters: counts,
      policy: this.#retry,
      // Only called while the run executes, by then `runner` is set.
      onRateLimitWait: (until) => runner.rateLimitWait(until),
    })
    const runner = new SyncRunner(
      {
        db,
        api,
        counts,
        scope: tenant.scope,
        tenantId: tenant.id,
        gate: active.gate,
        signal: active.abort.signal,
        tuning: this.#tuning,
        now: this.#now,
        onProgress: (progress) => {
          active.progress = progress
          for (const listener of this.#listeners) listener(progress)
        },
        credentialIds: () => active.credentialIds,
        onResumedAfterPause: () => active.tokens.reset(),
        onWrite: this.#deps.onWrite,
      },
      run,
    )
    return runner
  }

  #tokenSource(tenantId: string, used: string[]): AccessTokenSource {
    const { vault } = this.#deps
    return new AccessTokenSource({
      http: this.#deps.http,
      tokenUrl: this.#deps.tokenUrl,
      activeCredential: () => {
        const { activeCredentialId } = vault.tenant(tenantId)
        if (!activeCredentialId) return undefined
        const { id, clientId, keyId, scope } = vault.get(activeCredentialId)
        return { credentialId: id, clientId, keyId, scope }
      },
      privateKeyPem: (credentialId) => vault.secretPem(credentialId),
      onIssued: (credentialId) => {
        if (!used.includes(credentialId)) used.push(credentialId)
      },
    })
  }

  #connection(tenantId: string): DatabaseSync {
    let db = this.#connections.get(tenantId)
    if (!db?.isOpen) {
      // Opening through the tenant databases first creates and migrates the file.
      this.#deps.tenants.open(tenantId)
      db = new DatabaseSync(this.#deps.tenants.path(tenantId), {
        enableForeignKeyConstraints: true,
        timeout: 0,
      })
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL')
      this.#connections.set(tenantId, db)
    }
    return db
  }
}

function checkedSerial(serial: string | undefined): string {
  if (!serial || !SERIAL.test(serial)) throw new SyncRequestError(serial ?? '')
  return serial
}

function countsOf(run: StoredRun): SyncCounts {
  return Object.fromEntries(COUNT_NAMES.map((name) => [name, run[name]])) as unknown as SyncCounts
}

/** The run without the columns only the engine needs. */
function publicRun(run: StoredRun | undefined): SyncRun | null {
  if (!run) return null
  const { id, kind, forced, serial, status, phase, credentialIds, startedAt, finishedAt } = run
  return {
    ...countsOf(run),
    id,
    kind,
    forced,
    serial,
    status,
    phase,
    credentialIds,
    startedAt,
    finishedAt,
    message: run.message,
    stopReason: run.stopReason,
  }
}
