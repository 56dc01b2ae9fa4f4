// Whether the process that wrote unfinished work into the state file (a rotation journal, a vault
// intent) may still be doing it. The app and the CLI share the state file, so one of them starting
// must not undo what the other is in the middle of.
import { uptime } from 'node:os'

/** Unfinished work as the state file records it: who is doing it, and when it last wrote it. */
export interface OwnedWork {
  ownerPid: number
  updatedAt: string
}

/**
 * False for this process's own pid: callers skip the work this process is running, so a record
 * naming this pid was left by an earlier process that had the same pid.
 */
export function ownerMayBeRunning(work: OwnedWork, now: Date): boolean {
  if (work.ownerPid === process.pid) return false
  // Work last touched before this boot belongs to a process that is gone, whatever holds its pid now.
  const bootedAt = now.getTime() - uptime() * 1000
  if (Date.parse(work.updatedAt) < bootedAt) return false
  return processExists(work.ownerPid)
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
