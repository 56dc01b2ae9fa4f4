// What a CLI command is given: its arguments and where to write. Results go to stdout, messages to
// stderr; the return value is the exit code (0 success, 1 refused or failed, 2 wrong usage).
import type { WorkerScript } from '../worker-script'

export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: NodeJS.ProcessEnv
  /** Redraws one status line in place (a progress bar); undefined where stderr is no terminal. */
  status?: (text: string) => void
  /** Asks on the terminal without echo; undefined where there is no terminal. */
  promptSecret?: (question: string) => Promise<string>
  /** Calls `handler` on the first Ctrl+C instead of exiting; the answer disarms it. */
  onInterrupt?: (handler: () => void) => () => void
  /** Where CSV imports' worker thread starts from; without one they run in this thread. */
  importWorker?: WorkerScript
}

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

export class UsageError extends Error {
  override name = 'UsageError'
}
