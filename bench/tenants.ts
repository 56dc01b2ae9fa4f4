// Tenant data at growing sizes: the streamed CSV import against the sqlite3 shell loading the same
// file into the same schema, its peak memory, the database's size, and the Devices screen's queries.
// 1,000,000 devices take minutes: set BENCH_1M=1 to include them, or BENCH_SIZES=1000000 to time
// only that size.
import { execFileSync, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TenantDatabase, tenantDatabasePath } from '../main/tenants/tenant-database'
import { parsePrivateKey } from '../main/vault/private-key'
import {
  clearKeychain,
  openVault,
  uniqueKeychainService,
} from '../test/integration/vault/support/vault-fixture'
import { deviceSerial, devicesCsvLines } from '../test/support/device-csv'
import { makeP256Key } from '../test/support/openssl-keys'

import { measure, mib, ms, ratio, RUNS, summarize, type Figure } from './measure'

const COVERAGE_PER_DEVICE = 3
const NOW = new Date('2025-06-01T12:00:00Z')
const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : [1_000, 10_000, 100_000, ...(process.env.BENCH_1M === '1' ? [1_000_000] : [])]

async function writeCsv(path: string, devices: number): Promise<void> {
  const out = createWriteStream(path)
  for (const line of devicesCsvLines(devices, COVERAGE_PER_DEVICE)) {
    if (!out.write(`${line}\r\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

const CLI = join(import.meta.dirname, '..', 'bin', 'axm-credentials.js')

/**
 * A data folder holding one tenant (its credential's key in the test keychain), for the CLI to
 * import into. The keychain is only written here: an import never reads a key.
 */
async function cliTenant(
  dataDir: string,
): Promise<{ tenantId: string; close: () => Promise<void> }> {
  const service = uniqueKeychainService()
  const vault = openVault(dataDir, service)
  const key = parsePrivateKey(readFileSync(makeP256Key(dataDir, 'bench-key.pem')))
  const credential = await vault.add({
    name: 'Bench tenant',
    clientId: `BUSINESSAPI.${randomUUID()}`,
    keyId: randomUUID(),
    key,
  })
  return { tenantId: credential.tenantId, close: () => clearKeychain(service) }
}

/** Peak resident memory (MiB) from GNU time's `%M`, the last line of the child's stderr. */
const peakFromTime = (stderr: string): number => Number(stderr.trim().split('\n').at(-1)) / 1024

/**
 * Our import as an admin runs it: `axm-credentials tenant import-csv` (the built CLI) into the
 * tenant's new, empty database; wall time with the process start, peak memory from GNU time.
 */
function ourImport(dataDir: string, tenantId: string, csv: string) {
  rmSync(join(dataDir, 'tenants'), { recursive: true, force: true })
  const start = performance.now()
  const child = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      CLI,
      '--data-dir',
      dataDir,
      'tenant',
      'import-csv',
      tenantId,
      csv,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  )
  const importMs = performance.now() - start
  if (child.status !== 0) throw new Error(`the import failed: ${child.stderr}`)
  return { importMs, peakRssMiB: peakFromTime(child.stderr) }
}

// The same work in the sqlite3 shell: .import into a staging table, then INSERT … SELECT into the
// same schema (triggers, trigram index and all) with the app's connection settings (foreign keys
// checked), the coverage keys and best coverage computed the way the app does, in one transaction.
const SHELL_SCRIPT = (csv: string) => `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -32768; PRAGMA foreign_keys = ON;
BEGIN;
.import --csv ${csv} staging
INSERT INTO devices (serial, make, model, family, product_type, status, order_number, part_number,
  added_to_org, first_seen, last_seen)
SELECT "Serial", "Make", "Model", "Product Family", "Product Type", "Status", "Order Number",
  "Part Number", "Added To Org DateTime", "First Seen", "Last Seen" FROM staging WHERE true
ON CONFLICT (serial) DO NOTHING;
INSERT INTO coverage (serial, coverage_key, kind, description, agreement_id, status, payment_type,
  start_date, end_date, is_canceled)
SELECT "Serial",
  CASE WHEN "Coverage Agreement ID" <> '' THEN json_array('agreement', "Coverage Agreement ID")
    ELSE json_array("Coverage Kind", "Coverage Description", "Coverage Start") END,
  "Coverage Kind", "Coverage Description", nullif("Coverage Agreement ID", ''), "Coverage Status",
  "Coverage Payment Type", "Coverage Start", "Coverage End", "Coverage Canceled" = 'true'
FROM staging WHERE "Coverage Kind" <> '' ON CONFLICT DO NOTHING;
UPDATE devices SET (best_coverage_end, best_coverage_description) = (
  SELECT end_date, coalesce(description, kind) FROM coverage
  WHERE coverage.serial = devices.serial AND is_canceled = 0 AND end_date IS NOT NULL
  ORDER BY end_date DESC, coverage_key LIMIT 1);
DROP TABLE staging;
COMMIT;
`

/** The shell's run: wall time with its process start, and its peak memory from GNU time. */
function shellImport(dataDir: string, csv: string, run: number) {
  const tenant = `shell-${run}`
  TenantDatabase.open(dataDir, tenant).close()
  const start = performance.now()
  const shell = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', 'sqlite3', '-bail', tenantDatabasePath(dataDir, tenant)],
    { input: SHELL_SCRIPT(csv), encoding: 'utf8' },
  )
  const importMs = performance.now() - start
  if (shell.status !== 0) throw new Error(`sqlite3 failed: ${shell.stderr}`)
  return { importMs, peakRssMiB: peakFromTime(shell.stderr) }
}

interface SizeFigures {
  devices: number
  ours: Figure
  shell: Figure
  oursPeak: Figure
  shellPeak: Figure
  dbMiB: number
  search: Figure
  firstPage: Figure
  lastPage: Figure
  sortedFirstPage: Figure
  sortedLastPage: Figure
  sortedJump: Figure
  counts: Figure
  viewCount: Figure
}

async function benchSize(devices: number): Promise<SizeFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'axm-bench-tenants-'))
  try {
    const csv = join(dir, 'devices.csv')
    await writeCsv(csv, devices)
    const { tenantId, close } = await cliTenant(dir)
    // Warm-up (page cache, first spawn), then the runs, ours and the shell's interleaved.
    const ours = []
    const shell = []
    try {
      ourImport(dir, tenantId, csv)
      shellImport(dir, csv, -1)
      for (let run = 0; run < RUNS; run++) {
        ours.push(ourImport(dir, tenantId, csv))
        shell.push(shellImport(dir, csv, run))
      }
    } finally {
      await close()
    }
    // The queries run on the database our last import made.
    const db = TenantDatabase.open(dir, tenantId)
    const path = tenantDatabasePath(dir, tenantId)
    const dbMiB = statSync(path).size / 2 ** 20
    const middle = deviceSerial(Math.floor(devices / 2)).slice(3, 10)
    const view = { filter: 'all', search: '' } as const
    const page = { limit: 200 }
    const byEnd = { ...view, sort: { column: 'coverageEnd', descending: true }, ...page } as const
    try {
      return {
        devices,
        ours: summarize(ours.map((r) => r.importMs)),
        shell: summarize(shell.map((r) => r.importMs)),
        oursPeak: summarize(ours.map((r) => r.peakRssMiB)),
        shellPeak: summarize(shell.map((r) => r.peakRssMiB)),
        dbMiB,
        search: await measure(() => {
          db.countView({ filter: 'all', search: middle }, NOW)
          db.query({ filter: 'all', search: middle, cursor: { from: 'start' }, ...page }, NOW)
        }),
        firstPage: await measure(() =>
          db.query({ ...view, cursor: { from: 'start' }, ...page }, NOW),
        ),
        lastPage: await measure(() => db.query({ ...view, cursor: { from: 'end' }, ...page }, NOW)),
        sortedFirstPage: await measure(() =>
          db.query({ ...byEnd, cursor: { from: 'start' } }, NOW),
        ),
        sortedLastPage: await measure(() => db.query({ ...byEnd, cursor: { from: 'end' } }, NOW)),
        sortedJump: await measure(() =>
          db.query({ ...byEnd, cursor: { index: Math.floor(devices / 2) } }, NOW),
        ),
        counts: await measure(() => db.counts(NOW)),
        viewCount: await measure(() => db.countView(view, NOW)),
      }
    } finally {
      db.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function bench(): Promise<Array<{ label: string; figure: string }>> {
  const version = execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0]
  const figures: Array<{ label: string; figure: string }> = []
  for (const devices of SIZES) {
    const f = await benchSize(devices)
    const size = `${devices.toLocaleString('en-US')} devices × ${COVERAGE_PER_DEVICE}`
    figures.push(
      {
        label: `${size}: axm-credentials tenant import-csv (process start, read, decode, parse, write, commit)`,
        figure: ms(f.ours),
      },
      {
        label: `${size}: sqlite3 ${version} shell .import + INSERT … SELECT, same schema`,
        figure: `${ms(f.shell)} (process start included)`,
      },
      { label: `${size}: import / sqlite3 shell (goal ≤ 1.3×)`, figure: ratio(f.ours, f.shell) },
      {
        label: `${size}: peak memory, import process (goal < 150 MiB)`,
        figure: mib(f.oursPeak),
      },
      { label: `${size}: peak memory, sqlite3 shell`, figure: mib(f.shellPeak) },
      { label: `${size}: database file`, figure: `${f.dbMiB.toFixed(1)} MiB` },
      { label: `${size}: search (count + first page, 7 characters)`, figure: ms(f.search) },
      { label: `${size}: first page (200 rows)`, figure: ms(f.firstPage) },
      { label: `${size}: last page (200 rows, keyset from the end)`, figure: ms(f.lastPage) },
      {
        label: `${size}: first page by end date, latest first (goal < 20 ms)`,
        figure: ms(f.sortedFirstPage),
      },
      {
        label: `${size}: last page by end date (keyset from the end; goal < 20 ms)`,
        figure: ms(f.sortedLastPage),
      },
      {
        label: `${size}: page in the middle by end date (scroll bar jump)`,
        figure: ms(f.sortedJump),
      },
      { label: `${size}: tile counts (6 tiles)`, figure: ms(f.counts) },
      { label: `${size}: table row count (all devices)`, figure: ms(f.viewCount) },
    )
  }
  return figures
}
