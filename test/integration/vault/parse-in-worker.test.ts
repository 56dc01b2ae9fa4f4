// Keys given with a passphrase, decrypted on a real worker thread: the same key as in this thread,
// the same refusals, a main thread that goes on turning during the KDF, and a fallback to this
// thread when the worker cannot start.
import { createPublicKey, sign, verify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { KeyError } from '../../../main/vault/errors'
import { keyParserWith, parseInThread } from '../../../main/vault/parse-in-worker'
import { keyWorkerBeside } from '../../../main/worker-script'
import {
  encryptPkcs8,
  makeKeySet,
  TEST_PASSPHRASE,
  type TestKeySet,
} from '../../support/openssl-keys'
import { rejectionOf } from '../../support/rejection'

const inWorker = keyParserWith(keyWorkerBeside(import.meta.url))
let keys: TestKeySet
let slowKey: Buffer

beforeAll(() => {
  keys = makeKeySet(2048)
  // A KDF that takes a while: openssl's PBKDF2 at 1,000,000 iterations.
  const slow = encryptPkcs8(keys.pkcs8, join(keys.dir, 'slow.pem'), TEST_PASSPHRASE, 1_000_000)
  slowKey = readFileSync(slow)
})

afterEach(() => vi.restoreAllMocks())

describe('a key decrypted on a worker thread', () => {
  it.each(['encryptedPkcs8', 'pkcs12'] as const)(
    'is the key this thread reads: %s',
    async (file) => {
      const bytes = readFileSync(keys[file])
      const options = { passphrase: TEST_PASSPHRASE, fileName: keys[file] }
      const here = await parseInThread(bytes, options)
      const there = await inWorker(bytes, options)
      expect(there.publicKeyFingerprint).toBe(keys.fingerprint)
      expect(there).toMatchObject({
        format: here.format,
        pkcs8Pem: here.pkcs8Pem,
        publicKeyFingerprint: here.publicKeyFingerprint,
      })
      // The KeyObject made on this side from the key's PKCS#8 signs as the key does.
      const signature = sign('sha256', Buffer.from('probe'), there.keyObject)
      expect(
        verify('sha256', Buffer.from('probe'), createPublicKey(here.keyObject), signature),
      ).toBe(true)
    },
  )

  it('is refused as this thread refuses it: same class, code and message', async () => {
    const bytes = readFileSync(keys.encryptedPkcs8)
    for (const passphrase of ['not the passphrase', '']) {
      const here = await rejectionOf(parseInThread(bytes, { passphrase }), KeyError)
      const there = await rejectionOf(inWorker(bytes, { passphrase }), KeyError)
      expect({ code: there.code, message: there.message }).toEqual({
        code: here.code,
        message: here.message,
      })
      expect(there.message).not.toContain(passphrase || TEST_PASSPHRASE)
    }
    const garbage = await rejectionOf(
      inWorker(readFileSync(keys.garbage), { passphrase: TEST_PASSPHRASE }),
      KeyError,
    )
    expect(garbage.code).toBe('key_invalid')
  })

  it('leaves this thread free while the KDF runs; in this thread it is held', async () => {
    const turnsDuring = async (parse: typeof inWorker) => {
      let turns = 0
      const ticking = setInterval(() => (turns += 1), 1)
      try {
        const key = await parse(slowKey, { passphrase: TEST_PASSPHRASE })
        expect(key.publicKeyFingerprint).toBe(keys.fingerprint)
      } finally {
        clearInterval(ticking)
      }
      return turns
    }
    expect(await turnsDuring(parseInThread)).toBe(0)
    expect(await turnsDuring(inWorker)).toBeGreaterThan(10)
  })

  it('is decrypted in this thread when the worker cannot start, with a warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const missing = { url: pathToFileURL(join(keys.dir, 'no-such-worker.js')) }
    const parse = keyParserWith(missing)
    const key = await parse(readFileSync(keys.encryptedPkcs8), { passphrase: TEST_PASSPHRASE })
    expect(key.publicKeyFingerprint).toBe(keys.fingerprint)
    expect(warn).toHaveBeenCalledTimes(1)
    // A key without a passphrase runs no KDF: no worker is tried for it.
    expect((await parse(readFileSync(keys.pkcs8))).publicKeyFingerprint).toBe(keys.fingerprint)
    expect(warn).toHaveBeenCalledTimes(1)
  })
})
