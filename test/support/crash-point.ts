// The child side of the crash tests (see kill-at-pause.ts): tell the parent `paused`, then stop for
// good, so its SIGKILL lands exactly here.
export function stopForKill(): void {
  process.send?.('paused')
  // Blocks the thread without spinning (the message above is already written to the channel).
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
}
