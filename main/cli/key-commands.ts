// key inspect: what a private key file is, and whether the app would accept it.
import { parseCommand } from './args'
import { EXIT_OK, UsageError, type CliIO } from './io'
import { readKeyFile } from './key-file'

export async function runKeyCommand(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'inspect') throw new UsageError('usage: axm-credentials key inspect FILE [--json]')
  const { values, positionals } = parseCommand(rest, { json: { type: 'boolean' } }, 1)
  const file = positionals[0] as string
  const key = await readKeyFile(file, io)
  const report = { file, format: key.format, curve: 'P-256', fingerprint: key.publicKeyFingerprint }
  if (values.json) {
    io.stdout(JSON.stringify(report, null, 2))
  } else {
    io.stdout(
      `format:      ${report.format}\ncurve:       ${report.curve}\nfingerprint: ${report.fingerprint}`,
    )
  }
  return EXIT_OK
}
