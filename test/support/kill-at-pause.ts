// Runs a crash child (`node --import tsx` with an IPC channel) and SIGKILLs it the moment it says
// `paused`, as a crash or a power cut would stop it at that point.
import { fork } from 'node:child_process'
import { expect } from 'vitest'

/** Answers the child's pid, once it is dead of the SIGKILL. */
export async function runAndKillAtPause(script: string, job: unknown): Promise<number> {
  const child = fork(script, [JSON.stringify(job)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  )
  child.on('message', (message) => {
    if (message === 'paused') child.kill('SIGKILL')
  })
  expect(await exited).toBe('SIGKILL')
  return child.pid ?? -1
}
