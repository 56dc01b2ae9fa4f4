// Managed import: the cost of opening a 600,000-iteration PBES2 entry with the app's decryptEntry,
// next to openssl doing the same from the command line.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { decryptEntry } from '../main/managed/decrypt'
import { parseManagedPayload } from '../main/managed/payload'
import { encryptPkcs8, makeP256Key } from '../test/support/openssl-keys'

const PASSPHRASE = 'bench passphrase 600k'
const ITERATIONS = 600_000
const RUNS = 5

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

function timeMs(run: () => void): number {
  const start = performance.now()
  run()
  return performance.now() - start
}

export async function bench(): Promise<Array<{ label: string; figure: string }>> {
  const dir = mkdtempSync(join(tmpdir(), 'axm-bench-managed-'))
  try {
    const keyPath = makeP256Key(dir)
    const encPath = encryptPkcs8(keyPath, join(dir, 'enc.pem'), PASSPHRASE, ITERATIONS)
    const { entries } = parseManagedPayload({
      ManagedCredentials: [
        {
          id: 'bench',
          name: 'Bench',
          clientId: 'BUSINESSAPI.00000000-0000-4000-8000-000000000000',
          keyId: '00000000-0000-4000-8000-000000000001',
          privateKey: readFileSync(encPath, 'utf8'),
        },
      ],
    })
    const [entry] = entries
    if (!entry) throw new Error('bench entry did not parse')

    const app = median(
      Array.from({ length: RUNS }, () => timeMs(() => decryptEntry(entry, PASSPHRASE))),
    )
    const openssl = median(
      Array.from({ length: RUNS }, () =>
        timeMs(() =>
          execFileSync('openssl', [
            'pkcs8',
            '-in',
            encPath,
            '-passin',
            `pass:${PASSPHRASE}`,
            '-out',
            '/dev/null',
          ]),
        ),
      ),
    )
    return [
      {
        label: `decryptEntry, 600,000-iteration PBES2 entry (median of ${RUNS})`,
        figure: `${app.toFixed(0)} ms`,
      },
      {
        label: `openssl pkcs8 -in enc.pem, same entry (median of ${RUNS}, process spawn included)`,
        figure: `${openssl.toFixed(0)} ms`,
      },
      { label: 'decryptEntry / openssl', figure: `${(app / openssl).toFixed(2)}×` },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
