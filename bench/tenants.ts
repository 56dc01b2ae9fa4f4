// Tenant data at the size of a large school district: 100,000 devices with 3 coverage records each.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { DatabaseSync } from 'node:sqlite'
import { snapshotTenantData } from '../main/tenants/snapshot'
import { TenantDatabase, tenantDatabasePath } from '../main/tenants/tenant-database'
import { generateDevicesCsv } from '../test/support/device-csv'

const DEVICES = 100_000
const COVERAGE_PER_DEVICE = 3
const NOW = new Date('2025-06-01T12:00:00Z')

function timed<T>(work: () => T): [T, number] {
  const start = performance.now()
  const result = work()
  return [result, performance.now() - start]
}

async function timedAsync<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const result = await work()
  return [result, performance.now() - start]
}

/** Runs `work` and adds the longest the event loop waited meanwhile. */
async function watchingEventLoop<T>(
  work: () => Promise<T>,
): Promise<T & { longestBlockMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  try {
    return { ...(await work()), longestBlockMs: delay.max / 1e6 }
  } finally {
    delay.disable()
  }
}

/**
 * The app's import (a turn of the event loop every 2,000 rows) of the same file into a fresh
 * tenant, then its re-import, and the longest the event loop waited meanwhile.
 */
async function cooperativeImports(
  dataDir: string,
  csv: string,
): Promise<{ importMs: number; reimportMs: number; longestBlockMs: number }> {
  const db = TenantDatabase.open(dataDir, 'bench-cooperative')
  try {
    return await watchingEventLoop(async () => {
      const [, importMs] = await timedAsync(() => db.importCsvFile(csv, { seenAt: NOW }))
      const [, reimportMs] = await timedAsync(() => db.importCsvFile(csv, { seenAt: NOW }))
      return { importMs, reimportMs }
    })
  } finally {
    db.close()
  }
}

/** The app's export to a file (a turn of the event loop every 5,000 rows). */
async function cooperativeExport(
  dataDir: string,
  db: TenantDatabase,
): Promise<{ exportMs: number; longestBlockMs: number }> {
  const path = join(dataDir, 'export.csv')
  return watchingEventLoop(async () => {
    const [, exportMs] = await timedAsync(() => db.exportCsvFileCooperatively(path))
    return { exportMs }
  })
}

const ms = (value: number): string => `${value.toFixed(1)} ms`

export async function bench(): Promise<Array<{ label: string; figure: string }>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'axm-bench-tenants-'))
  const db = TenantDatabase.open(dataDir, 'bench')
  try {
    const csv = generateDevicesCsv(DEVICES, COVERAGE_PER_DEVICE)
    const [report, importMs] = timed(() => db.importCsv(csv, NOW))
    const [, reimportMs] = timed(() => db.importCsv(csv, NOW))
    const csvFile = join(dataDir, 'devices.csv')
    writeFileSync(csvFile, csv)
    const cooperative = await cooperativeImports(dataDir, csvFile)
    const [counts, countsMs] = timed(() => db.counts(NOW))
    const page = { cursor: { from: 'start' } as const, limit: 100 }
    const [, firstPageMs] = timed(() => db.query({ filter: 'all', search: '', ...page }, NOW))
    const [, lastPageMs] = timed(() =>
      db.query({ filter: 'all', search: '', cursor: { from: 'end' }, limit: 100 }, NOW),
    )
    const [, expiringMs] = timed(() =>
      db.query({ filter: 'expiringSoon', search: '', ...page }, NOW),
    )
    const [, searchMs] = timed(() => db.query({ filter: 'all', search: 'ipad air', ...page }, NOW))
    const [, exportMs] = timed(() => db.exportCsv())
    const cooperativeExported = await cooperativeExport(dataDir, db)
    const [, snapshotMs] = timed(() => db.snapshot())
    const [, fullHashMs] = timed(() => {
      const reader = new DatabaseSync(tenantDatabasePath(dataDir, 'bench'), { readOnly: true })
      snapshotTenantData(reader)
      reader.close()
    })
    const rowsPerSecond = Math.round(report.rows / (importMs / 1000)).toLocaleString('en-US')
    return [
      {
        label: `CSV import, ${DEVICES.toLocaleString('en-US')} devices × ${COVERAGE_PER_DEVICE} coverage`,
        figure: `${ms(importMs)} (${rowsPerSecond} rows/s)`,
      },
      { label: 'CSV re-import of the same file (upserts)', figure: ms(reimportMs) },
      {
        label: 'The same, cooperative (the app): import, re-import',
        figure: `${ms(cooperative.importMs)}, ${ms(cooperative.reimportMs)} (event loop blocked ${ms(cooperative.longestBlockMs)} at most)`,
      },
      {
        label: 'Tile counts',
        figure: `${ms(countsMs)} (${counts.inCoverage} in coverage, ${counts.expiringSoon} expiring, ${counts.expired} expired)`,
      },
      { label: 'First table page (100 rows, all)', figure: ms(firstPageMs) },
      { label: 'Last table page (keyset, from the end)', figure: ms(lastPageMs) },
      { label: 'First page, expiring-soon tile', figure: ms(expiringMs) },
      { label: 'First page, search "ipad air"', figure: ms(searchMs) },
      { label: 'CSV export (300,000 rows)', figure: ms(exportMs) },
      {
        label: 'The same, cooperative (the app), written to a file',
        figure: `${ms(cooperativeExported.exportMs)} (event loop blocked ${ms(cooperativeExported.longestBlockMs)} at most)`,
      },
      { label: 'Snapshot, full content hash (400,000 rows)', figure: ms(fullHashMs) },
      { label: 'Snapshot, nothing written since the last one (cached)', figure: ms(snapshotMs) },
    ]
  } finally {
    db.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
