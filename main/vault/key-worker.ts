// The key decryption's worker thread (see parse-in-worker.ts): reads one key with its passphrase,
// posts the key or why it was refused, and ends.
import { parentPort, workerData } from 'node:worker_threads'
import { KeyError } from './errors'
import type { KeyJob, KeyWorkerMessage } from './parse-in-worker'
import { parsePrivateKey } from './private-key'

const port = parentPort
if (!port) throw new Error('key-worker.ts runs as a worker thread only.')
const post = (message: KeyWorkerMessage) => port.postMessage(message)
// Its modules loaded: from here on, a failure is the key's, not the worker's start.
post({ type: 'ready' })

const { input, options } = workerData as KeyJob
try {
  const { format, pkcs8Pem, publicKeyFingerprint } = parsePrivateKey(
    typeof input === 'string' ? input : Buffer.from(input),
    options,
  )
  // The KeyObject stays here: the other thread makes its own from the unencrypted PKCS#8.
  post({ type: 'parsed', key: { format, pkcs8Pem, publicKeyFingerprint } })
} catch (error) {
  post(
    error instanceof KeyError
      ? { type: 'refused', code: error.code, message: error.message }
      : { type: 'failed', name: error instanceof Error ? error.name : typeof error },
  )
}
