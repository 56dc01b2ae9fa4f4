// Runs a test child under a memory budget and a deadline, as the hostile-input tests need: a
// child that exceeds either is stopped and reported, never left to take the machine down.
import { spawn } from 'node:child_process'

export interface BoundedRun {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface Budget {
  /** V8's old-space limit for the child, in MB. */
  memoryMb: number
  /** The child is SIGKILLed after this long; the test then fails on its status. */
  deadlineMs: number
}

export function runBounded(script: string, args: string[], budget: Budget): Promise<BoundedRun> {
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${budget.memoryMb}`, '--import', 'tsx', script, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: budget.deadlineMs, killSignal: 'SIGKILL' },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }))
  })
}
