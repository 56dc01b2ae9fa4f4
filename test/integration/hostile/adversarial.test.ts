// The adversarial suite: seeded mutations of real payloads (XML and binary plists written by
// plistlib, a .mobileconfig, JSON) and of device CSVs, each read the way the app reads it in a
// worker process with a 256 MB heap and a deadline. Every input must end in a clear refusal or a
// result (a plist the same as plistlib reads it, where plistlib reads it too), never in a stack
// trace, and a refusal changes nothing: state file, audit log, keychain items and tenant database
// are as they were. The seed is fixed, so a failure names an input that can be made again.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_ID } from '../../../main/paths'
import { createServices } from '../../../main/services'
import { KeychainSecretStore } from '../../../main/vault/secret-store'
import type { AdversarialJob, AdversarialOutcome } from '../../support/adversarial-child'
import { runBounded } from '../../support/bounded-run'
import { generateDevicesCsv } from '../../support/device-csv'
import { dagBomb, deepXml, emptyDictionariesXml } from '../../support/hostile-plists'
import { mutate, seededRandom } from '../../support/mutate'
import { plistData, plistlibReadings, writePlist } from '../../support/plist'
import { makeP256Key } from '../../support/openssl-keys'
import { entryFor, makeEntryKey, pkcs12Of, tempDir } from '../../unit/managed/fixtures'

const CHILD = fileURLToPath(new URL('../../support/adversarial-child.ts', import.meta.url))
const SEED = 20_261_201
const MUTATIONS_PER_SEED = 60
const BUDGET = { memoryMb: 256, deadlineMs: 120_000 }
const SERVICE = `AxM adversarial ${randomUUID()}`

let dir: string
let dataDir: string
let tenantId: string

/** Everything a refusal must leave as it was. */
async function durableState(): Promise<Record<string, string | string[]>> {
  const read = (name: string) =>
    existsSync(join(dataDir, name)) ? readFileSync(join(dataDir, name)).toString('base64') : ''
  return {
    state: read('config.json'),
    audit: read('audit.jsonl'),
    tenantDb: read(join('tenants', `${tenantId}.sqlite`)),
    keychain: (await new KeychainSecretStore(SERVICE).accounts()).sort(),
  }
}

beforeAll(async () => {
  dir = tempDir('axm-adversarial-')
  dataDir = join(dir, 'data')
  // A data folder in use: one credential with its tenant, so there is state to keep unchanged.
  const services = createServices({
    dataDir,
    tokenUrl: 'http://127.0.0.1:9/never-called',
    keychainService: SERVICE,
    managedSources: [],
  })
  const { parsePrivateKey } = await import('../../../main/vault/private-key')
  const credential = await services.vault.add({
    name: 'Adversarial School',
    clientId: `SCHOOLAPI.${randomUUID()}`,
    keyId: randomUUID(),
    key: parsePrivateKey(readFileSync(makeP256Key(dir, 'kept.pem'))),
  })
  tenantId = credential.tenantId
  services.close()
})

afterAll(async () => {
  const keychain = new KeychainSecretStore(SERVICE)
  for (const account of await keychain.accounts()) await keychain.delete(account)
})

/** Writes each input into a folder of its own and answers the paths. */
function writeInputs(folder: string, inputs: Array<[string, Buffer]>): string[] {
  mkdirSync(join(dir, folder), { recursive: true })
  return inputs.map(([name, bytes]) => {
    const path = join(dir, folder, name)
    writeFileSync(path, bytes)
    return path
  })
}

function mutationsOf(
  seeds: Array<[string, Buffer]>,
  random: () => number,
): Array<[string, Buffer]> {
  return seeds.flatMap(([name, bytes]) => [
    [name, bytes] as [string, Buffer],
    ...Array.from({ length: MUTATIONS_PER_SEED }, (_, i): [string, Buffer] => {
      let mutated = mutate(bytes, random)
      // Some inputs get a second and third mutation on top of the first.
      for (let more = Math.floor(random() * 3); more > 0; more--) mutated = mutate(mutated, random)
      return [`${i}-${name}`, mutated]
    }),
  ])
}

async function runWorker(job: AdversarialJob): Promise<AdversarialOutcome[]> {
  const run = await runBounded(CHILD, [JSON.stringify(job)], BUDGET)
  const outcomes = run.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AdversarialOutcome)
  const last = outcomes.at(-1)?.file
  const stopped = job.files[job.files.indexOf(last ?? '') + 1]
  // A worker killed by its budget stopped at the input after the last it reported.
  expect({
    status: run.status,
    signal: run.signal,
    stoppedAt: run.status === 0 ? null : stopped,
  }).toEqual({
    status: 0,
    signal: null,
    stoppedAt: null,
  })
  expect(outcomes.map((outcome) => outcome.file)).toEqual(job.files)
  return outcomes
}

const STACK_TRACE = /\n\s+at |Error: |TypeError|RangeError/

describe('seeded mutations', () => {
  it('of payloads end in a refusal or a result plistlib agrees with, changing nothing', async () => {
    const key = makeEntryKey(dir)
    const entries = [
      entryFor('pem', key),
      entryFor('p12', key, {
        privateKey: undefined,
        privateKeyPKCS12: plistData(pkcs12Of(key)),
        revision: 2,
      }),
    ]
    const profile = {
      PayloadType: 'Configuration',
      PayloadIdentifier: `${APP_ID}.profile`,
      PayloadUUID: randomUUID().toUpperCase(),
      PayloadVersion: 1,
      PayloadContent: [
        { PayloadType: APP_ID, PayloadUUID: randomUUID(), ManagedCredentials: entries },
      ],
    }
    const seedPath = (name: string) => join(dir, name)
    writePlist(seedPath('seed.plist'), { ManagedCredentials: entries }, 'xml')
    writePlist(seedPath('seed.bplist'), { ManagedCredentials: entries }, 'binary')
    writePlist(seedPath('seed.mobileconfig'), profile, 'xml')
    const json = {
      ManagedCredentials: [
        entryFor('json', key, {
          privateKey: undefined,
          privateKeyPKCS12: pkcs12Of(key).toString('base64'),
        }),
      ],
    }
    const seeds: Array<[string, Buffer]> = [
      ['payload.plist', readFileSync(seedPath('seed.plist'))],
      ['payload.bplist', readFileSync(seedPath('seed.bplist'))],
      ['payload.mobileconfig', readFileSync(seedPath('seed.mobileconfig'))],
      ['payload.json', Buffer.from(JSON.stringify(json))],
    ]
    const inputs = [
      ...mutationsOf(seeds, seededRandom(SEED)),
      ['bomb.bplist', dagBomb()] as [string, Buffer],
      ['empty-dicts.plist', emptyDictionariesXml(5 * 1024 * 1024 - 4096)] as [string, Buffer],
      ['deep.plist', deepXml(100_000)] as [string, Buffer],
    ]
    const files = writeInputs('payloads', inputs)
    const before = await durableState()

    const outcomes = await runWorker({ kind: 'payload', dataDir, service: SERVICE, files })

    expect(await durableState()).toEqual(before)
    const crashed = outcomes.filter(
      (o) => o.outcome === 'crashed' || STACK_TRACE.test(o.message ?? ''),
    )
    expect(crashed).toEqual([])
    for (const [i, seed] of seeds.entries()) {
      expect(outcomes[i * (MUTATIONS_PER_SEED + 1)], seed[0]).toMatchObject({
        outcome: 'read',
        pending: 1 + Number(i < 3),
        problems: 0,
      })
    }
    const refusedUnclearly = outcomes.filter(
      (o) =>
        o.outcome === 'refused' &&
        !/^\/.* (is |has |can |could |holds |nests )/.test(o.message ?? ''),
    )
    expect(refusedUnclearly).toEqual([])
    // Where both read a plist, they read the same.
    const plists = outcomes.filter((o) => o.outcome === 'read' && !o.file.endsWith('.json'))
    const oracle = plistlibReadings(plists.map((o) => o.file))
    const disagreements = plists
      .map((o, i) => ({ file: o.file, ours: o.value, plistlib: oracle[i]?.value }))
      .filter(
        ({ ours, plistlib }) =>
          plistlib !== undefined &&
          JSON.stringify(sorted(ours)) !== JSON.stringify(sorted(plistlib)),
      )
    expect(disagreements).toEqual([])
    // The suite is only worth its time if mutations reach both ends.
    expect(outcomes.filter((o) => o.outcome === 'refused').length).toBeGreaterThan(50)
    expect(oracle.filter((reading) => reading.value !== undefined).length).toBeGreaterThan(10)
  })

  it('of device CSVs end in a refusal that changed nothing or an import, never a stack trace', async () => {
    const random = seededRandom(SEED + 1)
    const ours = generateDevicesCsv(30, 2)
    const warranty = [
      'Serial,Make,Model,Standard Start,Standard End,AC+ Start,AC+ End,Status,Product Family',
      ...Array.from(
        { length: 30 },
        (_, i) =>
          `W${String(i).padStart(9, '0')},Apple,MacBook Air,2024-01-0${(i % 9) + 1},2025-01-01,2025-01-02,2028-01-01,Active,Mac`,
      ),
    ].join('\r\n')
    const inputs = mutationsOf(
      [
        ['ours.csv', Buffer.from(ours)],
        ['warranty.csv', Buffer.from(warranty)],
      ],
      random,
    )
    const files = writeInputs('csvs', inputs)
    const before = await durableState()

    const outcomes = await runWorker({ kind: 'csv', dataDir, service: SERVICE, tenantId, files })

    const crashed = outcomes.filter(
      (o) => o.outcome === 'crashed' || STACK_TRACE.test(o.message ?? ''),
    )
    expect(crashed).toEqual([])
    expect(outcomes.filter((o) => o.outcome === 'refused' && !o.unchanged)).toEqual([])
    for (const o of outcomes.filter((outcome) => outcome.outcome === 'imported')) {
      expect(o.report && o.report.rows >= o.report.skipped, o.file).toBe(true)
    }
    expect(outcomes[0]).toMatchObject({ outcome: 'imported', report: { devices: 30, skipped: 0 } })
    // Imports are audited, one entry each; nothing else in the data folder moved.
    const after = await durableState()
    expect({ ...after, audit: '', tenantDb: '' }).toEqual({ ...before, audit: '', tenantDb: '' })
    const imported = outcomes.filter((o) => o.outcome === 'imported').length
    const auditLines = Buffer.from(String(after.audit), 'base64')
      .toString('utf8')
      .trim()
      .split('\n')
    const beforeLines = Buffer.from(String(before.audit), 'base64')
      .toString('utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
    expect(auditLines.length - beforeLines.length).toBe(imported)
  })
})

/** A value with its dictionaries' keys in order, for comparing two readings as text. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, item]) => [key, sorted(item)]),
    )
  }
  return value
}
