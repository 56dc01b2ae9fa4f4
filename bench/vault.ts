// How fast the credentials table fills with 50 credentials, and what one add costs, on the real
// state file and the real keychain (run inside test/support/with-keyring.sh).
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parsePrivateKey, type ParsedPrivateKey } from '../main/vault/private-key'
import type { Vault } from '../main/vault/vault'
import { makeP256Key } from '../test/support/openssl-keys'
import {
  clearKeychain,
  openVault,
  uniqueKeychainService,
} from '../test/integration/vault/support/vault-fixture'
import { ms as msOf, ratio, RUNS, summarize, type Figure } from './measure'

const CREDENTIALS = 50
const LIST_RUNS = 500

export async function bench(): Promise<Array<{ label: string; figure: string }>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'axm-bench-vault-'))
  const service = uniqueKeychainService()
  try {
    const vault = openVault(dataDir, service)
    const keys = Array.from({ length: CREDENTIALS }, (_, i) =>
      parsePrivateKey(readFileSync(makeP256Key(dataDir, `key-${i}.pem`))),
    )
    const last = keys.pop()
    if (!last) throw new Error('no keys were made')
    for (const [index, key] of keys.entries()) await addCredential(vault, key, index)
    const addStart = performance.now()
    await addCredential(vault, last, CREDENTIALS - 1)
    const addMs = performance.now() - addStart

    const listStart = performance.now()
    for (let i = 0; i < LIST_RUNS; i += 1) {
      if (vault.list().length !== CREDENTIALS) throw new Error('the bench lost a credential')
    }
    const listMs = (performance.now() - listStart) / LIST_RUNS
    return [
      ...(await cliStart(dataDir)),
      {
        label: `vault.list() of ${CREDENTIALS} credentials (mean of ${LIST_RUNS})`,
        figure: ms(listMs),
      },
      { label: `vault.add() with ${CREDENTIALS - 1} credentials present`, figure: ms(addMs) },
    ]
  } finally {
    await clearKeychain(service)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const ROOT = join(import.meta.dirname, '..')
const BIN = join(ROOT, 'bin', 'axm-credentials.js')

// Process starts vary more than the other figures on a busy machine: at least 11 of each.
const STARTS = Math.max(RUNS, 11)

/**
 * The CLI's start, whole processes (spawn included), next to a bare `node -e 0`: one of each in
 * turn, so a busy moment of the machine weighs on all three alike.
 */
async function cliStart(dataDir: string): Promise<Array<{ label: string; figure: string }>> {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) {
    return [{ label: 'CLI start', figure: 'not measured: run `npm run build` first' }]
  }
  const commands = [
    ['-e', '0'],
    [BIN, '--help'],
    [BIN, '--data-dir', dataDir, 'list'],
  ]
  const times: number[][] = commands.map(() => [])
  for (let run = -1; run < STARTS; run++) {
    commands.forEach((args, index) => {
      const start = performance.now()
      execFileSync(process.execPath, args, { stdio: 'ignore' })
      if (run >= 0) times[index]!.push(performance.now() - start) // run -1 is the warm-up
    })
  }
  const [bare, help, list] = times.map((values) => summarize(values)) as [Figure, Figure, Figure]
  return [
    { label: 'node -e 0 (the anchor)', figure: msOf(bare) },
    { label: 'axm-credentials --help', figure: `${msOf(help)}, ${ratio(help, bare)}` },
    {
      label: `axm-credentials list, ${CREDENTIALS} credentials (goal ≤ 2.5×)`,
      figure: `${msOf(list)}, ${ratio(list, bare)}`,
    },
  ]
}

async function addCredential(vault: Vault, key: ParsedPrivateKey, index: number): Promise<void> {
  await vault.add({
    name: `Bench credential ${index}`,
    clientId: `BUSINESSAPI.${randomUUID()}`,
    keyId: randomUUID(),
    key,
  })
}

const ms = (value: number): string => `${value.toFixed(2)} ms`
