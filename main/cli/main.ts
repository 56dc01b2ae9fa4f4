// The axm-credentials executable: runs the CLI on this process's arguments and terminal.
import { runCli } from './index'
import { promptSecret } from './prompt'

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  promptSecret: process.stdin.isTTY ? promptSecret : undefined,
  statusLine: process.stderr.isTTY ? (text) => process.stderr.write(`\r\x1b[K${text}`) : undefined,
  onInterrupt: (handler) => {
    process.on('SIGINT', handler)
    return () => process.off('SIGINT', handler)
  },
})
