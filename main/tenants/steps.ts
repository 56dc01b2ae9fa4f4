// Long work written once, as a generator that pauses (yields) between chunks, and run two ways:
// straight through (the CLI, tests, the bench) or one chunk per turn of the event loop, so that the
// app's window keeps repainting and answering IPC while the work goes on in the main process.

/** Work that pauses at each `yield` and finally returns a T. */
export type Steps<T> = Generator<void, T, void>

/** Runs every step at once and returns the result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
  }
}

/** Stops cooperative work: when `signal` aborts, the work ends at its next pause with `error()`. */
export interface StepsCancel {
  signal: AbortSignal
  error: () => Error
}

/**
 * Runs one step per turn of the event loop: timers, I/O and IPC get their turn in between. When
 * `cancel` aborts, the work is ended at the pause it is in (its finally blocks run and undo what it
 * began: a temporary file, a transaction) and `cancel.error()` is thrown.
 */
export async function runStepsCooperatively<T>(steps: Steps<T>, cancel?: StepsCancel): Promise<T> {
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
    await new Promise<void>((resolve) => setImmediate(resolve))
    if (cancel?.signal.aborted) {
      steps.return(undefined as T)
      throw cancel.error()
    }
  }
}
