import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../../../main/audit/audit-log'

const run = promisify(execFile)
const script = fileURLToPath(new URL('./support/append-entries.ts', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
let dataDir: string

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'axm-audit-'))
})

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the audit log across processes', () => {
  it('keeps every line whole when four processes append at once', async () => {
    const writers = ['app', 'cli-1', 'cli-2', 'cli-3']
    await Promise.all(
      writers.map((writer) =>
        run(process.execPath, ['--import', 'tsx', script, dataDir, writer, '250'], {
          cwd: repoRoot,
        }),
      ),
    )
    const log = new AuditLog(dataDir)
    const { entries, skippedLines } = log.read()
    expect(skippedLines).toBe(0)
    expect(entries).toHaveLength(1000)
    for (const writer of writers) {
      const own = log.list({ tenantId: writer }).map((entry) => entry.details?.index)
      // Each writer's entries appear in the order it wrote them (newest first).
      expect(own).toEqual(Array.from({ length: 250 }, (_, i) => 249 - i))
    }
    const lines = readFileSync(log.path, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
    expect(lines).toHaveLength(1000)
  })
})
