// Managed import: the cost of opening a 600,000-iteration PBES2 entry with decryptEntry, in this
// thread and on the built key worker as the app runs it (out/main/key-worker.js: npm run bench
// builds first), next to openssl doing the same from the command line.
import { execFileSync } from 'node:child_process'
import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { decryptEntry } from '../main/managed/decrypt'
import { keyParserWith } from '../main/vault/parse-in-worker'
import { parseManagedPayload } from '../main/managed/payload'
import { encryptPkcs8, makeP256Key } from '../test/support/openssl-keys'
import { measure, ms, ratio } from './measure'

const PASSPHRASE = 'bench passphrase 600k'
const ITERATIONS = 600_000
const BUILT_KEY_WORKER = 'out/main/key-worker.js'
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

    const app = await measure(() => decryptEntry(entry, PASSPHRASE))
    const onWorker = keyParserWith({ url: pathToFileURL(BUILT_KEY_WORKER) })
    const inWorker = await measure(() => decryptEntry(entry, PASSPHRASE, onWorker))
    const openssl = await measure(() =>
      execFileSync('openssl', [
        'pkcs8',
        '-in',
        encPath,
        '-passin',
        `pass:${PASSPHRASE}`,
        '-out',
        '/dev/null',
      ]),
    )
    // The floor: the key derivation alone, as node:crypto does it, with nothing around it.
    const salt = randomBytes(16)
    const pbkdf2 = await measure(() => pbkdf2Sync(PASSPHRASE, salt, ITERATIONS, 32, 'sha256'))
    return [
      {
        label: 'decryptEntry, 600,000-iteration PBES2 entry (derive key, decrypt, parse)',
        figure: ms(app),
      },
      { label: 'bare pbkdf2Sync, 600,000 × HMAC-SHA256 (the anchor)', figure: ms(pbkdf2) },
      { label: 'decryptEntry / bare pbkdf2Sync', figure: ratio(app, pbkdf2) },
      {
        label: 'the same on the key worker, as the app runs it (thread start included)',
        figure: ms(inWorker),
      },
      { label: 'key worker / bare pbkdf2Sync', figure: ratio(inWorker, pbkdf2) },
      {
        label: 'openssl pkcs8 -in enc.pem, same entry (process spawn included)',
        figure: ms(openssl),
      },
      { label: 'decryptEntry / openssl', figure: ratio(app, openssl) },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
