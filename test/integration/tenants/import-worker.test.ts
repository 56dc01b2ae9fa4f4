// CSV file imports in a worker thread (main/tenants/import-in-worker.ts), as the app and the CLI
// run them: a real worker running the real import on a connection of its own to a real file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { toAppError } from '../../../main/ipc/app-error'
import {
  CsvImportCanceledError,
  CsvImportError,
  TenantBusyError,
  TenantDatabaseError,
} from '../../../main/tenants/errors'
import { importWorkerBeside, type WorkerScript } from '../../../main/worker-script'
import { TenantDatabase } from '../../../main/tenants/tenant-database'
import { generateDevicesCsv } from '../../support/device-csv'
import { rejectionOf, thrownBy } from '../../support/rejection'
import { importAsFile, NOW, useTenantDataDir } from './support/tenant-fixture'

// Several pieces of a mebibyte, so there is a moment between the first and the commit.
const DEVICES = 6_000
const LARGE = generateDevicesCsv(DEVICES, 3)
const IMPORT_WORKER = importWorkerBeside(import.meta.url)

describe('CSV file import in a worker thread', () => {
  const tenants = useTenantDataDir()
  const opened: TenantDatabase[] = []
  // Runs before useTenantDataDir's cleanup (after-hooks run in reverse), which removes the folder.
  afterEach(() => {
    for (const db of opened.splice(0)) db.close()
  })
  const openWith = (script: WorkerScript, tenantId = 'tenant-a'): TenantDatabase => {
    const db = TenantDatabase.open(tenants.dataDir(), tenantId, script)
    opened.push(db)
    return db
  }
  const worker = (tenantId?: string) => openWith(IMPORT_WORKER, tenantId)

  it('gives the same report and data as the import in this thread', async () => {
    const inThread = tenants.open('tenant-a')
    const inWorker = worker('tenant-b')
    const report = await importAsFile(inThread, LARGE, NOW)
    expect(report).toMatchObject({ rows: DEVICES * 3, devices: DEVICES, skipped: 0 })
    expect(await importAsFile(inWorker, LARGE, NOW)).toEqual(report)
    expect(inWorker.exportCsv()).toBe(inThread.exportCsv())
    expect(inWorker.counts(NOW)).toEqual(inThread.counts(NOW))
    expect(inWorker.owedImportAudits()).toMatchObject([{ ownerPid: process.pid }])
  })

  it('writes on its own connection: this one reads the data as it was until the commit', async () => {
    const db = worker()
    db.importCsv('Serial\nBEFORE1\n', NOW)
    const seen: number[] = []
    await importAsFile(db, LARGE, NOW, { onProgress: () => seen.push(db.counts(NOW).devices) })
    expect(seen.length).toBeGreaterThan(1)
    expect(new Set(seen)).toEqual(new Set([1]))
    expect(db.counts(NOW).devices).toBe(DEVICES + 1)
  })

  it('refuses another import and a snapshot of the tenant until it has finished', async () => {
    const db = worker()
    let refusals: unknown[] = []
    let first = true
    await importAsFile(db, LARGE, NOW, {
      onProgress: () => {
        if (!first) return
        first = false
        refusals = [
          thrownBy(() => db.importCsv('Serial\nOTHER1\n', NOW)),
          thrownBy(() => db.snapshot()),
        ]
      },
    })
    expect(refusals).toHaveLength(2)
    for (const refused of refusals) expect(refused).toBeInstanceOf(TenantBusyError)
    expect(db.snapshot().devices).toBe(DEVICES)
  })

  it('rolls back when canceled, and the tenant takes writes again at once', async () => {
    const db = worker()
    db.importCsv('Serial\nBEFORE1\n', NOW)
    const before = db.snapshot()
    const controller = new AbortController()
    const importing = importAsFile(db, LARGE, NOW, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    })
    const error = await rejectionOf(importing, CsvImportCanceledError)
    expect(toAppError(error)).toMatchObject({ code: 'canceled' })
    expect(db.snapshot()).toEqual(before)
    expect(db.importCsv('Serial\nAFTER1\n', NOW).devices).toBe(1)
  })

  it('stops and rolls back when the database is closed (the tenant removed, the app quitting)', async () => {
    const db = worker()
    const importing = importAsFile(db, LARGE, NOW, { onProgress: () => db.close() })
    await rejectionOf(importing, CsvImportCanceledError)
    expect(tenants.open().counts(NOW).devices).toBe(0)
  })

  it('passes a refused file on with its class and message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axm-csv-'))
    try {
      const path = join(dir, 'latin.csv')
      writeFileSync(
        path,
        Buffer.concat([Buffer.from('Serial\r\nA1\r\nB'), Buffer.from([0xc3, 0x28])]),
      )
      const error = await rejectionOf(worker().importCsvFile(path), CsvImportError)
      expect(toAppError(error)).toMatchObject({ code: 'invalid_input' })
      expect(error.message).toMatch(/^Line 3 is not valid UTF-8 text\./)
      expect(tenants.open().counts(NOW).devices).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('leaves nothing behind when its thread dies mid-import, and the tenant takes writes at once', async () => {
    const dying = {
      ...IMPORT_WORKER,
      url: new URL('../../support/import-worker-exits.ts', import.meta.url),
    }
    const db = openWith(dying)
    db.importCsv('Serial\nBEFORE1\n', NOW)
    const error = await rejectionOf(importAsFile(db, LARGE, NOW), TenantDatabaseError)
    expect(error.message).toBe('The import stopped unexpectedly. Nothing was imported.')
    expect(db.counts(NOW).devices).toBe(1)
    expect(db.importCsv('Serial\nAFTER1\n', NOW).devices).toBe(1)
  })

  it('imports in this thread, saying so, when the worker cannot load its script', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const db = openWith({ url: new URL('./no-such-worker.js', import.meta.url) })
      const seen: number[] = []
      const onProgress = () => seen.push(db.counts(NOW).devices)
      expect(await importAsFile(db, LARGE, NOW, { onProgress })).toMatchObject({ devices: DEVICES })
      // In this thread, reads on the connection see the rows written so far.
      expect(seen.some((devices) => devices > 0 && devices < DEVICES)).toBe(true)
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^The import's worker thread could not start \(\w*MODULE_NOT_FOUND\)\. The file is imported in the main thread instead\.$/,
        ),
      )
    } finally {
      warn.mockRestore()
    }
  })

  it('is stopped with a clear message when it needs more memory than an import may use', async () => {
    const hungry = new URL(
      'data:text/javascript,const kept = []; for (;;) kept.push(new Array(1e5).fill(Math.random()))',
    )
    const db = openWith({ url: hungry })
    const error = await rejectionOf(importAsFile(db, LARGE, NOW), TenantDatabaseError)
    expect(error.message).toBe(
      'The import needed more memory than an import may use and was stopped. Nothing was imported.',
    )
    expect(db.counts(NOW).devices).toBe(0)
  })
})
