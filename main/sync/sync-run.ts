// One sync run of one tenant, from wherever its durable record says it is:
//   devices   → list every device, page by page on Apple's cursor (full runs only);
//   reconcile → confirm each known device the complete list left out, and mark it inactive;
//   coverage  → ask for the AppleCare coverage of every device that needs it, a few at a time;
//   retry     → ask once more, one at a time, for the devices that got no answer.
// Every batch (a page, a group of coverage answers) is one transaction together with the run's
// progress, so a run killed at any moment resumes after the last batch that landed, and a device
// is never half-written. Between batches the run passes a checkpoint where a credential change may
// hold it.
import type { DatabaseSync } from 'node:sqlite'
import { setImmediate } from 'node:timers/promises'
import type { Scope } from '../../preload/model'
import type { SyncCounts, SyncProgress, SyncStatus } from '../../preload/sync-model'
import { noDataSql } from '../tenants/device-queries'
import { inTransaction } from '../tenants/transaction'
import { RetriesExhaustedError, type ApiAnswer, type AppleApiClient } from './apple-api-client'
import {
  COVERAGE_FIELDS,
  nextCursor,
  readCoveragePage,
  type ApiCoverage,
} from './applecare-coverage'
import { DeviceWrites, type CoverageAnswer } from './device-writes'
import { isRecord, ORG_DEVICE_FIELDS, readOrgDevice, type ApiDevice } from './org-device'
import { PausedError, type PauseGate } from './pause-gate'
import {
  apiUnreachable,
  forbidden,
  SyncError,
  syncCanceled,
  syncFailedUnexpectedly,
  unexpectedAnswer,
} from './sync-errors'
import { finishRun, saveRun, type StoredRun } from './sync-runs'
import { withWriteRetry } from './write-retry'

export interface SyncTuning {
  /** Coverage requests in flight at once (Apple throttles past 3; never more than 4). */
  coverageConcurrency: number
  /** Coverage younger than this is not asked for again by a full run. */
  freshnessMs: number
  /** Coverage answers written per transaction. */
  coverageBatch: number
  /** Coverage requests that fail in a row before the run stops (the network is gone, not a device). */
  maxConsecutiveFailures: number
  /** Devices per page (Apple allows 1 to 1,000). */
  pageSize: number
}

export const DEFAULT_TUNING: SyncTuning = {
  coverageConcurrency: 3,
  freshnessMs: 7 * 24 * 60 * 60 * 1000,
  coverageBatch: 150,
  maxConsecutiveFailures: 12,
  pageSize: 1000,
}

export interface SyncRunDeps {
  db: DatabaseSync
  api: AppleApiClient
  /** The run's counts, shared with the API client that counts retries and waits. */
  counts: SyncCounts
  scope: Scope
  tenantId: string
  gate: PauseGate
  /** Aborts on cancel. */
  signal: AbortSignal
  tuning: SyncTuning
  now: () => Date
  onProgress(progress: SyncProgress): void
  /** The credential ids whose tokens the run used so far (filled in by the token source). */
  credentialIds: () => string[]
  /** Called at each checkpoint where the run waited for a credential change. */
  onResumedAfterPause(): void
  /** Told how long each batch's transaction took (the bench's share of time spent writing). */
  onWrite?(ms: number): void
}

/** A stale cursor may force the listing to start over, but not forever. */
const MAX_RESTARTS = 3

const MAX_PAGES = 10_000

/** Devices of a page written per transaction: a few tens of milliseconds of work each. */
const DEVICES_PER_WRITE = 200

export class SyncRunner {
  readonly #deps: SyncRunDeps
  readonly #run: StoredRun
  readonly #writes: DeviceWrites
  readonly #counts: SyncCounts
  #coverageTotal = 0
  #waitingUntil: number | undefined
  #coverageForbidden = 0
  #consecutiveFailures = 0
  #fieldsRefused = false

  constructor(deps: SyncRunDeps, run: StoredRun) {
    this.#deps = deps
    this.#run = run
    this.#writes = new DeviceWrites(deps.db)
    this.#counts = deps.counts
  }

  get counts(): SyncCounts {
    return this.#counts
  }

  get run(): StoredRun {
    return this.#run
  }

  /** Counted by the API client as its requests retry and wait; reported with the next batch. */
  rateLimitWait(until: number): void {
    this.#waitingUntil = until
    this.#report()
  }

  /** Runs to the end; the stored record says how it ended. Never rejects for Apple's failures. */
  async execute(): Promise<StoredRun> {
    let end: { status: Exclude<SyncStatus, 'running'>; message: string; error?: SyncError }
    try {
      if (this.#run.kind === 'device') await this.#deviceRun()
      else {
        if (this.#run.phase === 'devices') await this.#enumerate()
        if (this.#run.phase === 'reconcile') await this.#reconcile()
        if (this.#run.phase === 'coverage') await this.#coverage('coverage')
        if (this.#run.phase === 'retry') await this.#coverage('retry')
      }
      end = this.#outcome()
    } catch (error) {
      const failure = this.#deps.signal.aborted ? syncCanceled() : asSyncError(error)
      end = {
        status:
          failure.reason === 'canceled' ? 'canceled' : failure.resumable ? 'partial' : 'failed',
        message: failure.message,
        error: failure,
      }
    }
    await this.#write(() =>
      finishRun(
        this.#deps.db,
        this.#run.id,
        { status: end.status, stopReason: end.error?.reason ?? null, message: end.message },
        this.#at(),
      ),
    )
    Object.assign(this.#run, {
      status: end.status,
      message: end.message,
      stopReason: end.error?.reason ?? null,
      finishedAt: this.#at(),
    })
    this.#report()
    return this.#run
  }

  // ── devices ───────────────────────────────────────────────────────────────────────────────

  async #enumerate(): Promise<void> {
    let restarts = 0
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.#pausable(() => this.#listPage(this.#run.cursor))
      if (answer === 'stale') {
        if (++restarts > MAX_RESTARTS)
          throw unexpectedAnswer('a device list cursor Apple kept refusing')
        await this.#save(() => Object.assign(this.#run, { cursor: null, restarted: true }))
        continue
      }
      const { devices, next } = answer
      // A page is written in parts, each its own transaction on its own turn of the event loop;
      // the cursor moves on with the last part, so a run stopped between parts reads the page
      // again and finds the devices already written unchanged.
      const parts = chunks(devices, DEVICES_PER_WRITE)
      for (const [index, part] of parts.entries()) {
        await this.#save(() => {
          this.#writes.writeListed(part, this.#run.id, this.#run.startedAt, this.#counts)
          if (index < parts.length - 1) return
          this.#counts.pages++
          this.#run.cursor = next ?? null
          if (!next) this.#run.phase = this.#run.restarted ? 'coverage' : 'reconcile'
        })
      }
      if (!next) return
    }
    throw unexpectedAnswer(`more than ${MAX_PAGES} pages of devices`)
  }

  async #listPage(
    cursor: string | null,
  ): Promise<{ devices: ApiDevice[]; next: string | undefined } | 'stale'> {
    const query: Record<string, string> = { limit: String(this.#deps.tuning.pageSize) }
    if (!this.#fieldsRefused) query['fields[orgDevices]'] = ORG_DEVICE_FIELDS.join(',')
    if (cursor) query.cursor = cursor
    const answer = await this.#get('/v1/orgDevices', query, () => this.#pageUnreachable())
    switch (answer.kind) {
      case 'ok': {
        const devices = readDevices(answer.body)
        if (!devices) throw unexpectedAnswer('a page of devices without its data')
        return { devices, next: nextCursor(answer.body) }
      }
      case 'badRequest':
        // A cursor Apple no longer knows, or (without one) a field name it refuses: once each.
        if (cursor) return 'stale'
        if (!this.#fieldsRefused) {
          this.#fieldsRefused = true
          return this.#listPage(cursor)
        }
        throw unexpectedAnswer('HTTP 400 for the device list')
      case 'forbidden':
        throw forbidden(this.#deps.scope, 'devices')
      case 'notFound':
        throw unexpectedAnswer('HTTP 404 for the device list')
      case 'unexpected':
        throw unexpectedAnswer(answer.detail)
    }
  }

  /** A page that cannot be read: the list is incomplete, so nothing may be marked inactive. */
  async #pageUnreachable(): Promise<void> {
    await this.#save(() => (this.#run.enumerationFailed = true))
  }

  // ── reconcile ─────────────────────────────────────────────────────────────────────────────

  async #reconcile(): Promise<void> {
    const select = this.#deps.db.prepare(
      `SELECT serial FROM devices WHERE inactive = 0 AND listed_run IS NOT ? AND serial > ?
       ORDER BY serial LIMIT ?`,
    )
    for (;;) {
      const batch = select
        .all(this.#run.id, this.#run.retryPosition ?? '', this.#deps.tuning.coverageBatch)
        .map((row) => row.serial as string)
      if (batch.length === 0) break
      // A batch abandoned for a pause is asked again whole: the reads change nothing.
      const confirmed = await this.#pausable(() =>
        Promise.all(batch.map((serial) => this.#confirmReleased(serial))),
      )
      await this.#save(() => {
        confirmed.forEach((release, index) => {
          if (release === undefined) return
          this.#writes.markInactive(batch[index] as string, release)
          this.#counts.devicesInactive++
        })
        this.#run.retryPosition = batch.at(-1) ?? null
      })
    }
    await this.#save(() => Object.assign(this.#run, { phase: 'coverage', retryPosition: null }))
  }

  /**
   * Whether a device the list left out has left the organisation: its release time (or null when
   * Apple no longer knows it at all), or undefined when that cannot be confirmed now.
   */
  async #confirmReleased(serial: string): Promise<string | null | undefined> {
    let answer: ApiAnswer
    try {
      answer = await this.#get(`/v1/orgDevices/${encodeURIComponent(serial)}`, {})
    } catch (error) {
      if (error instanceof RetriesExhaustedError) return undefined
      throw error
    }
    if (answer.kind === 'notFound') return null
    if (answer.kind !== 'ok' || !isRecord(answer.body)) return undefined
    return readOrgDevice(answer.body.data)?.releasedFromOrg ?? undefined
  }

  // ── coverage ──────────────────────────────────────────────────────────────────────────────

  async #coverage(phase: 'coverage' | 'retry'): Promise<void> {
    const candidates = this.#candidates(phase)
    this.#coverageTotal = this.#coverageDone() + candidates.count()
    this.#report()
    for (;;) {
      if (await this.#checkpoint()) this.#coverageTotal = this.#coverageDone() + candidates.count()
      const batch = candidates.next(this.#run.retryPosition, this.#deps.tuning.coverageBatch)
      if (batch.length === 0) break
      // The limiter keeps `coverageConcurrency` in flight; the retry pass goes one at a time.
      const answers =
        phase === 'coverage'
          ? await Promise.all(batch.map((serial) => this.#coverageOf(serial)))
          : await sequentially(batch, (serial) => this.#coverageOf(serial))
      const paused = answers.indexOf('paused')
      const done = paused < 0 ? answers.length : paused
      await this.#save(() => {
        answers.forEach((answer, index) => {
          if (answer !== 'paused') this.#record(batch[index] as string, answer, phase)
        })
        // The retry pass walks in serial order; the first pass skips what this run already asked.
        if (phase === 'retry' && done > 0) this.#run.retryPosition = batch[done - 1] ?? null
      })
      this.#report()
      this.#stopIfApiIsDown()
    }
    await this.#save(() =>
      Object.assign(this.#run, {
        phase: phase === 'coverage' ? 'retry' : 'done',
        retryPosition: null,
      }),
    )
  }

  #candidates(phase: 'coverage' | 'retry'): {
    count(): number
    next(after: string | null, limit: number): string[]
  } {
    const { db } = this.#deps
    const where = candidateSql(this.#run, phase)
    const params = {
      run: this.#run.id,
      freshBefore: new Date(
        Date.parse(this.#run.startedAt) - this.#deps.tuning.freshnessMs,
      ).toISOString(),
      serial: this.#run.serial,
    }
    const count = db.prepare(`SELECT count(*) AS n FROM devices WHERE ${where}`)
    const next = db.prepare(
      `SELECT serial FROM devices WHERE ${where} AND serial > :after ORDER BY serial LIMIT :limit`,
    )
    // Each kind's condition uses some of the parameters.
    count.setAllowUnknownNamedParameters(true)
    next.setAllowUnknownNamedParameters(true)
    return {
      count: () => Number(count.get(params)?.n ?? 0),
      next: (after, limit) =>
        next.all({ ...params, after: after ?? '', limit }).map((row) => row.serial as string),
    }
  }

  async #coverageOf(serial: string): Promise<CoverageAnswer | 'paused'> {
    try {
      return await this.#askCoverage(serial)
    } catch (error) {
      if (this.#isPause(error)) return 'paused'
      if (error instanceof RetriesExhaustedError) {
        this.#consecutiveFailures++
        return { outcome: 'unavailable', error: error.detail }
      }
      throw error
    }
  }

  async #askCoverage(serial: string): Promise<CoverageAnswer> {
    const path = `/v1/orgDevices/${encodeURIComponent(serial)}/appleCareCoverage`
    const records: ApiCoverage[] = []
    let cursor: string | undefined
    for (let page = 0; page < 100; page++) {
      const query: Record<string, string> = {
        'fields[appleCareCoverage]': COVERAGE_FIELDS.join(','),
        limit: '1000',
        ...(cursor ? { cursor } : {}),
      }
      const answer = await this.#get(path, query)
      if (answer.kind === 'notFound') return this.#coverageNotFound(serial)
      if (answer.kind !== 'ok') {
        if (answer.kind === 'forbidden') this.#coverageForbidden++
        return { outcome: 'unavailable', error: answerDetail(answer) }
      }
      const pageRecords = readCoveragePage(answer.body)
      if (!pageRecords) return { outcome: 'unavailable', error: 'unreadable answer' }
      this.#consecutiveFailures = 0
      records.push(...pageRecords)
      cursor = nextCursor(answer.body)
      if (!cursor) break
    }
    return records.length === 0 ? { outcome: 'none' } : { outcome: 'records', records }
  }

  /** Apple never says what a coverage 404 means: the device's own read tells a gone device apart. */
  async #coverageNotFound(serial: string): Promise<CoverageAnswer> {
    this.#consecutiveFailures = 0
    const released = await this.#confirmReleased(serial)
    return released === undefined
      ? { outcome: 'notFound' }
      : { outcome: 'notFound', gone: true, releasedAt: released }
  }

  #record(serial: string, answer: CoverageAnswer, phase: 'coverage' | 'retry'): void {
    const counts = this.#counts
    // A retried device was counted as failed in the first pass.
    if (phase === 'retry') counts.coverageFailed--
    if (answer.outcome === 'records') counts.coverageFetched++
    else if (answer.outcome === 'none') counts.coverageNone++
    else if (answer.outcome === 'notFound') counts.coverageNotFound++
    else counts.coverageFailed++
    this.#writes.coverage.write(serial, answer, this.#run.id, this.#at())
    if (answer.outcome === 'notFound' && answer.gone) {
      this.#writes.markInactive(serial, answer.releasedAt ?? null)
      counts.devicesInactive++
    }
  }

  #coverageDone(): number {
    const c = this.#counts
    return c.coverageFetched + c.coverageNone + c.coverageNotFound + c.coverageFailed
  }

  #stopIfApiIsDown(): void {
    if (this.#consecutiveFailures >= this.#deps.tuning.maxConsecutiveFailures) {
      throw apiUnreachable('no answer for many devices in a row', this.#consecutiveFailures)
    }
  }

  // ── one device ────────────────────────────────────────────────────────────────────────────

  async #deviceRun(): Promise<void> {
    const serial = this.#run.serial as string
    if (this.#run.phase === 'devices') {
      const answer = await this.#pausable(() =>
        this.#get(`/v1/orgDevices/${encodeURIComponent(serial)}`, {}),
      )
      if (answer.kind === 'forbidden') throw forbidden(this.#deps.scope, 'device details')
      if (answer.kind === 'notFound') {
        await this.#save(() => {
          if (knownDevice(this.#deps.db, serial)) {
            this.#writes.markInactive(serial, null)
            this.#counts.devicesInactive++
          }
          this.#run.phase = 'done'
        })
        return
      }
      const device =
        answer.kind === 'ok' && isRecord(answer.body) ? readOrgDevice(answer.body.data) : undefined
      if (!device || device.serial !== serial) throw unexpectedAnswer(answerDetail(answer))
      await this.#save(() => {
        const isNew = !knownDevice(this.#deps.db, serial)
        this.#writes.writeDevice(device, null, this.#at())
        if (device.releasedFromOrg) this.#writes.markInactive(serial, device.releasedFromOrg)
        this.#counts.devicesSeen++
        if (isNew) this.#counts.devicesNew++
        else this.#counts.devicesUpdated++
        this.#run.phase = 'coverage'
      })
    }
    if (this.#run.phase === 'coverage') await this.#coverage('coverage')
    if (this.#run.phase === 'retry') await this.#coverage('retry')
  }

  // ── plumbing ──────────────────────────────────────────────────────────────────────────────

  /**
   * A request through the API client under the run's cancel and pause signals. `onExhausted` runs
   * before a page's exhausted retries stop the run.
   */
  async #get(
    path: string,
    query: Record<string, string>,
    onExhausted?: () => Promise<void>,
  ): Promise<ApiAnswer> {
    const signal = AbortSignal.any([this.#deps.signal, this.#deps.gate.signal])
    try {
      const answer = await this.#deps.api.get(path, query, signal)
      this.#waitingUntil = undefined
      return answer
    } catch (error) {
      if (this.#deps.signal.aborted) throw syncCanceled()
      if (error instanceof RetriesExhaustedError && onExhausted) {
        await onExhausted()
        throw apiUnreachable(error.detail, error.attempts)
      }
      throw error
    }
  }

  /** Runs `work` after the checkpoint, again after each pause that abandoned it. */
  async #pausable<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.#checkpoint()
      try {
        return await work()
      } catch (error) {
        if (!this.#isPause(error)) throw error
      }
    }
  }

  #isPause(error: unknown): boolean {
    return (
      !this.#deps.signal.aborted && (error instanceof PausedError || this.#deps.gate.signal.aborted)
    )
  }

  /** Waits while a credential change holds the run; true when it did. Pauses never end a run. */
  async #checkpoint(): Promise<boolean> {
    for (;;) {
      if (this.#deps.signal.aborted) throw syncCanceled()
      this.#report()
      if (!(await this.#deps.gate.checkpoint())) return false
      this.#deps.onResumedAfterPause()
      // A page abandoned for the pause is asked again from the same cursor.
      if (!this.#deps.gate.paused) return true
    }
  }

  /** `change` mutates the run's state and counts; both land in one transaction with its writes. */
  async #save(change: () => void): Promise<void> {
    await this.#write(() => {
      change()
      saveRun(
        this.#deps.db,
        {
          id: this.#run.id,
          state: this.#run,
          counts: this.#counts,
          credentialIds: this.#deps.credentialIds(),
        },
        this.#at(),
      )
    })
    Object.assign(this.#run, this.#counts, { credentialIds: this.#deps.credentialIds() })
  }

  /**
   * One transaction, on a turn of the event loop of its own, so batches never run back to back
   * while the window waits; a snapshot of the run is restored when it does not land.
   */
  async #write(work: () => void): Promise<void> {
    await setImmediate()
    const runBefore = { ...this.#run }
    const countsBefore = { ...this.#counts }
    try {
      await withWriteRetry(
        () => this.#timed(() => inTransaction(this.#deps.db, work)),
        this.#deps.signal,
      )
    } catch (error) {
      Object.assign(this.#run, runBefore)
      Object.assign(this.#counts, countsBefore)
      throw error
    }
  }

  #timed(work: () => void): void {
    const started = performance.now()
    try {
      work()
    } finally {
      this.#deps.onWrite?.(performance.now() - started)
    }
  }

  #outcome(): { status: 'complete' | 'partial'; message: string } {
    const c = this.#counts
    const parts: string[] = []
    if (this.#run.kind !== 'partial') {
      parts.push(
        `${c.devicesSeen} devices listed (${c.devicesNew} new, ${c.devicesUpdated} changed, ${c.devicesInactive} no longer in the organisation)`,
      )
    }
    parts.push(
      `coverage: ${c.coverageFetched} with records, ${c.coverageNone} without, ${c.coverageNotFound} not found, ${c.coverageFailed} with No Data`,
    )
    let message = `${parts.join('; ')}.`
    if (this.#run.restarted) {
      message +=
        ' The device list had to be read again from the start, so no device was marked inactive this time.'
    }
    if (this.#coverageForbidden > 0) {
      message += ` Apple refused AppleCare coverage for ${this.#coverageForbidden} devices (HTTP 403): the API account may lack access to AppleCare coverage.`
    }
    if (c.coverageFailed > 0) {
      return {
        status: 'partial',
        message: `${message} Run Sync Devices Without Data to try those devices again.`,
      }
    }
    return { status: 'complete', message }
  }

  #report(): void {
    const c = this.#counts
    const waiting =
      this.#waitingUntil && this.#waitingUntil > Date.now() ? this.#waitingUntil : undefined
    try {
      this.#deps.onProgress({
        tenantId: this.#deps.tenantId,
        runId: this.#run.id,
        kind: this.#run.kind,
        status: this.#run.status,
        phase: this.#run.phase,
        pages: c.pages,
        devicesListed: c.devicesSeen,
        coverageDone: this.#coverageDone(),
        coverageTotal: Math.max(this.#coverageTotal, this.#coverageDone()),
        waitingUntil: waiting ? new Date(waiting).toISOString() : null,
        pausedForRotation: this.#deps.gate.paused,
        message: this.#run.message,
      })
    } catch {
      // A listener that went away (a closed window) must not stop a sync.
    }
  }

  #at(): string {
    return this.#deps.now().toISOString()
  }
}

/** A failure that is not Apple's (a bug, a damaged database) ends the run without its details. */
function asSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error
  console.error(`Unexpected ${error instanceof Error ? error.name : typeof error} in a sync run`)
  if (error instanceof Error && error.stack) {
    console.error(
      error.stack
        .split('\n')
        .filter((line) => /^\s+at /.test(line))
        .join('\n'),
    )
  }
  return syncFailedUnexpectedly()
}

function readDevices(body: unknown): ApiDevice[] | undefined {
  if (!isRecord(body) || !Array.isArray(body.data)) return undefined
  return body.data.map(readOrgDevice).filter((device) => device !== undefined)
}

/**
 * Which devices a coverage phase asks about. The first pass skips devices this run already asked
 * (so a resumed run goes on where it stopped); full runs take listed devices whose coverage is
 * missing, No Data, older than the freshness window, or older than the device's last change at
 * Apple (forced: every listed device); partial runs take the No Data devices; the retry pass takes
 * this run's devices that got no answer.
 */
function candidateSql(run: StoredRun, phase: 'coverage' | 'retry'): string {
  if (phase === 'retry') {
    return `coverage_attempt_run = :run AND coverage_outcome = 'unavailable'`
  }
  const notAskedYet = `coverage_attempt_run IS NOT :run AND inactive = 0`
  switch (run.kind) {
    case 'device':
      return `serial = :serial AND coverage_attempt_run IS NOT :run`
    case 'partial':
      return `${notAskedYet} AND ${NO_DATA_SQL}`
    case 'full':
      return run.forced
        ? `${notAskedYet} AND listed_run = :run`
        : `${notAskedYet} AND listed_run = :run AND (coverage_outcome IS NULL
            OR coverage_outcome = 'unavailable' OR coverage_checked_at < :freshBefore
            OR coverage_for_update IS NOT updated_at)`
  }
}

/** The tenant's No Data devices, as the Devices screen's tile counts them. */
const NO_DATA_SQL = noDataSql('best_coverage_end')

function knownDevice(db: DatabaseSync, serial: string): boolean {
  return db.prepare('SELECT 1 FROM devices WHERE serial = ?').get(serial) !== undefined
}

function answerDetail(answer: ApiAnswer): string {
  switch (answer.kind) {
    case 'ok':
      return 'an answer without a device'
    case 'forbidden':
      return 'HTTP 403'
    case 'badRequest':
      return 'HTTP 400'
    case 'notFound':
      return 'HTTP 404'
    case 'unexpected':
      return answer.detail
  }
}

/** `items` in runs of `size`; one empty run for no items, so a page without devices still lands. */
function chunks<T>(items: T[], size: number): T[][] {
  const parts: T[][] = []
  for (let start = 0; start < items.length; start += size)
    parts.push(items.slice(start, start + size))
  return parts.length > 0 ? parts : [[]]
}

async function sequentially<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (const item of items) {
    const result = await work(item)
    results.push(result)
    if (result === 'paused') break
  }
  return results
}
