// Strict option parsing for one subcommand: unknown options and missing values are usage errors.
import type * as Util from 'node:util'
import { lazyRequire } from '../lazy-require'
import { UsageError } from './io'

/**
 * Required, not imported: node:util as an ES module builds its whole namespace, which loads
 * worker_threads, locks, the diff and more (some 3 ms of `list`); required, it is one property.
 */
const util = lazyRequire<typeof Util>('node:util')

type Options = NonNullable<Util.ParseArgsConfig['options']>

export function parseCommand<O extends Options>(args: string[], options: O, positionals: number) {
  const parsed = util().parseArgs({ args, options, allowPositionals: true, strict: true })
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
