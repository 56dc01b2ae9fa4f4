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

/** Runs one step per turn of the event loop: timers, I/O and IPC get their turn in between. */
export async function runStepsCooperatively<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}
