// The axm-credentials executable: runs the CLI on this process's arguments and terminal.
import { importWorkerBeside } from '../worker-script'
import { runCli } from './index'

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  importWorker: importWorkerBeside(import.meta.url),
  // \r back to the line's start, \x1b[K clears what a longer line left; '' ends the status line.
  status: process.stderr.isTTY
    ? (text) => process.stderr.write(text === '' ? '\r\x1b[K' : `\r${text}\x1b[K`)
    : undefined,
  // readline is loaded for a prompt only, not on every start.
  promptSecret: process.stdin.isTTY
    ? async (question) => (await import('./prompt')).promptSecret(question)
    : undefined,
  // The listener stays until the process exits: with none, a Ctrl+C while the command winds down
  // (or signal-exit, which proper-lockfile uses, re-raising one) would kill it mid-write.
  onInterrupt: (handler) => {
    let armed = true
    process.on('SIGINT', () => {
      if (armed) handler()
      armed = false
    })
    return () => (armed = false)
  },
})
