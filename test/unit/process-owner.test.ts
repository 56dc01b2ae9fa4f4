import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { RotationJournal } from '../../main/rotation/journal'
import { ownerMayBeRunning } from '../../main/process-owner'

const NOW = new Date()

function journalOf(ownerPid: number, updatedAt = NOW.toISOString()): RotationJournal {
  return {
    runId: 'run',
    tenantId: 'tenant',
    oldCredentialId: 'old',
    newCredentialId: 'new',
    step: 'confirm',
    startedAt: updatedAt,
    updatedAt,
    ownerPid,
  }
}

async function pidOfEndedProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.on('exit', resolve))
  return child.pid ?? -1
}

describe('ownerMayBeRunning', () => {
  it('is false for this process, which knows its own runs', () => {
    expect(ownerMayBeRunning(journalOf(process.pid), NOW)).toBe(false)
  })

  it('is true for another live process', () => {
    expect(ownerMayBeRunning(journalOf(process.ppid), NOW)).toBe(true)
  })

  it('is false once the owner has ended', async () => {
    expect(ownerMayBeRunning(journalOf(await pidOfEndedProcess()), NOW)).toBe(false)
  })

  it('is false for a journal from before this boot, whoever has its pid now', () => {
    expect(ownerMayBeRunning(journalOf(process.ppid, '2000-01-01T00:00:00.000Z'), NOW)).toBe(false)
  })
})
