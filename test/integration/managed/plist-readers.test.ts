// The payload readers against python's plistlib: what plistlib writes reads back the same, and
// files built to exhaust a reader (references followed over and over, endless nesting, malformed
// markup) are refused with a reason, in a child process with a small memory budget, printing
// nothing of their own.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodePayloadBytes, MAX_PAYLOAD_BYTES } from '../../../main/managed/payload-bytes'
import { runBounded } from '../../support/bounded-run'
import {
  binaryPlist,
  dagBomb,
  deepXml,
  emptyDictionariesXml,
  selfContainingBinaryPlist,
} from '../../support/hostile-plists'
import type { PayloadOutcome } from '../../support/payload-child'
import { plistData, readPlist, writePlist, type PlistFormat } from '../../support/plist'
import { tempDir } from '../../unit/managed/fixtures'

const CHILD = fileURLToPath(new URL('../../support/payload-child.ts', import.meta.url))

let dir: string
beforeAll(() => {
  dir = tempDir('axm-plists-')
})

/** A value as readPlist gives it: bytes as plistData() markers, dates as ISO text. */
function asPlistlibReads(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return plistData(value)
  if (value instanceof Date) return value.toISOString().replace(/\.000Z$/, '')
  if (Array.isArray(value)) return value.map(asPlistlibReads)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, asPlistlibReads(item)]),
    )
  }
  return value
}

const document = {
  ManagedCredentials: [
    { id: 'a', name: 'Zoë’s Ærø 👩‍💻 school', revision: 3, big: 2 ** 53 - 1, negative: -42 },
    {
      id: 'b',
      ratio: 0.25,
      on: true,
      off: false,
      empty: '',
      blob: plistData(Buffer.from([0, 1, 254, 255])),
    },
    { nested: { deeper: [[], {}, [1, [2, [3]]]] }, long: 'x'.repeat(70_000), escaped: '<&>"\'' },
  ],
  ['__proto__']: { owned: 'as an own key' },
  constructor: 'text',
}

describe('what plistlib writes', () => {
  it.each(['xml', 'binary'] as const)('reads a %s plist back the same', (format: PlistFormat) => {
    const path = join(dir, `round-${format}.plist`)
    writePlist(path, JSON.parse(JSON.stringify(document)), format)
    const read = decodePayloadBytes(readFileSync(path))
    expect(asPlistlibReads(read)).toEqual(readPlist(path))
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype)
    expect(Object.hasOwn(read as object, '__proto__')).toBe(true)
  })
})

/** Reads each file in a child with 96 MB of heap; answers what became of each. */
async function readBounded(files: Record<string, Buffer>): Promise<Record<string, PayloadOutcome>> {
  const paths = Object.entries(files).map(([name, bytes]) => {
    const path = join(dir, name)
    writeFileSync(path, bytes)
    return path
  })
  const run = await runBounded(CHILD, paths, { memoryMb: 96, deadlineMs: 60_000 })
  expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({
    status: 0,
    signal: null,
    stderr: '',
  })
  const outcomes = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PayloadOutcome)
  return Object.fromEntries(outcomes.map((outcome, i) => [Object.keys(files)[i], outcome]))
}

const refusal = (message: RegExp) =>
  expect.objectContaining({
    outcome: 'refused',
    message: expect.stringMatching(message),
    printed: '',
  })

describe('files built to exhaust a reader', () => {
  it('are refused with a reason, within a small memory budget, printing nothing', async () => {
    const nestedBinary = binaryPlist(
      Array.from({ length: 40 }, (_, level) => Buffer.from([0xa1, level + 1])).concat(
        Buffer.from([0x50]),
      ),
    )
    const outcomes = await readBounded({
      'dag-bomb.plist': dagBomb(),
      'self.plist': selfContainingBinaryPlist(),
      'nested.plist': nestedBinary,
      'empty-dicts.plist': emptyDictionariesXml(MAX_PAYLOAD_BYTES - 1000),
      'deep.plist': deepXml(200_000),
      'deep.json': Buffer.from(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`),
      'many.json': Buffer.from(`[${Array(500_000).fill('{}').join(',')}]`),
      'unclosed.plist': Buffer.from(
        '<plist version="1.0"><dict><key>a</key><string>b</dict></plist>',
      ),
      'entities.plist': Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "aaaa">]><plist><string>&a;</string></plist>',
      ),
    })
    const tooMany = /holds more than 100,000 values/
    const tooDeep = /nests dictionaries and arrays more than 32 levels deep/
    expect(outcomes).toEqual({
      'dag-bomb.plist': refusal(tooMany),
      'self.plist': refusal(
        /binary plist \(truncated or damaged: an object that contains itself\)/,
      ),
      'nested.plist': refusal(tooDeep),
      'empty-dicts.plist': refusal(tooMany),
      'deep.plist': refusal(tooDeep),
      'deep.json': refusal(/JSON|levels deep/),
      'many.json': refusal(tooMany),
      'unclosed.plist': refusal(
        /XML plist \(truncated or damaged: line 1, <\/dict> closes <string>\)/,
      ),
      'entities.plist': refusal(/declares entities, which are not read/),
    })
  })
})
