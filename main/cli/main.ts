// The axm-credentials executable: runs the CLI on this process's arguments and terminal.
import { runCli } from './index'
import { promptSecret } from './prompt'

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  promptSecret: process.stdin.isTTY ? promptSecret : undefined,
  statusLine: process.stderr.isTTY ? (text) => process.stderr.write(`\r\x1b[K${text}`) : undefined,
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
