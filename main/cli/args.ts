// Strict option parsing for one subcommand: unknown options and missing values are usage errors.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './io'

type Options = NonNullable<ParseArgsConfig['options']>

export function parseCommand<O extends Options>(args: string[], options: O, positionals: number) {
  const parsed = parseArgs({ args, options, allowPositionals: true, strict: true })
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(
      `expected ${positionals} argument${positionals === 1 ? '' : 's'}, got ${parsed.positionals.length}`,
    )
  }
  return parsed
}

export function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`${flag} is required`)
  return value
}
