// Whether the process that wrote a journal may still be running it. The app and the CLI share the
// state file, so the app starting must not undo a rotation the CLI is in the middle of.
import { uptime } from 'node:os'
import type { RotationJournal } from './journal'

export function ownerMayBeRunning(journal: RotationJournal, now: Date): boolean {
  if (journal.ownerPid === process.pid) return false
  // A journal last touched before this boot belongs to a process that is gone, whatever holds its
  // pid now.
  const bootedAt = now.getTime() - uptime() * 1000
  if (Date.parse(journal.updatedAt) < bootedAt) return false
  return processExists(journal.ownerPid)
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
