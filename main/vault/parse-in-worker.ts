// Decrypting a private key with its passphrase on a worker thread. The KDF a passphrase runs
// (PBKDF2 at the packager's 600,000 iterations or more, scrypt, the PKCS#12 KDF in JavaScript)
// takes from a fraction of a second to the 5 s the KDF budget allows, and on Electron's main
// thread that is as long as every window and IPC call of the app waits. The parsing itself is
// private-key.ts's, in either thread, and its refusals arrive as the same KeyErrors.
import { createPrivateKey } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import type { WorkerScript } from '../worker-script'
import { KeyError, type KeyErrorCode } from './errors'
import { parsePrivateKey, type ParsedPrivateKey, type ParseOptions } from './private-key'

/** Reads a private key (bytes or text) with its options: in this thread, or off it. */
export type KeyParser = (
  input: string | Buffer,
  options?: ParseOptions,
) => Promise<ParsedPrivateKey>

/** What the worker is given to parse (workerData); a Buffer arrives as a Uint8Array. */
export interface KeyJob {
  input: string | Uint8Array
  options: ParseOptions
}

/** The worker's messages to the thread that started it. */
export type KeyWorkerMessage =
  | { type: 'ready' }
  /** Without its KeyObject, which the other thread makes again from the unencrypted PKCS#8. */
  | { type: 'parsed'; key: Omit<ParsedPrivateKey, 'keyObject'> }
  | { type: 'refused'; code: KeyErrorCode; message: string }
  /** Not a KeyError: only its class's name crosses, never a message that might quote the input. */
  | { type: 'failed'; name: string }

/** The worker could not even start (its script did not load): parsing falls back to this thread. */
class KeyWorkerUnavailableError extends Error {
  override name = 'KeyWorkerUnavailableError'
}

// Parsing holds one key of at most 1 MB (MAX_KEY_INPUT_BYTES); scrypt's memory is native, not V8's.
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 }

export const parseInThread: KeyParser = async (input, options) => parsePrivateKey(input, options)

/**
 * A KeyParser that decrypts on a worker thread started from `script` whenever a passphrase is
 * given; a key without one runs no KDF, and is read in this thread. Without `script`, all are.
 */
export function keyParserWith(script: WorkerScript | undefined): KeyParser {
  if (!script) return parseInThread
  return async (input, options = {}) => {
    if (options.passphrase === undefined) return parseInThread(input, options)
    try {
      // A copy of exactly the key's bytes: a Buffer may be a view of a pool shared with other data.
      const bytes = typeof input === 'string' ? input : new Uint8Array(input)
      return await parseInWorker(script, { input: bytes, options })
    } catch (error) {
      if (!(error instanceof KeyWorkerUnavailableError)) throw error
      console.warn(`The key worker could not start (${error.message}); decrypting here.`)
      return parseInThread(input, options)
    }
  }
}

function parseInWorker(script: WorkerScript, job: KeyJob): Promise<ParsedPrivateKey> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script.url, {
      workerData: job,
      execArgv: script.execArgv,
      resourceLimits: RESOURCE_LIMITS,
    })
    let ready = false
    let outcome: { key: ParsedPrivateKey } | { error: Error } | undefined
    worker.on('message', (message: KeyWorkerMessage) => {
      if (message.type === 'ready') ready = true
      else if (message.type === 'parsed') {
        outcome = { key: { ...message.key, keyObject: createPrivateKey(message.key.pkcs8Pem) } }
      } else if (message.type === 'refused')
        outcome = { error: new KeyError(message.code, message.message) }
      else outcome = { error: new Error(`The key could not be read (${message.name}).`) }
    })
    worker.on('error', (error) => {
      outcome ??= { error: ready ? error : new KeyWorkerUnavailableError(error.message) }
    })
    worker.on('exit', (exitCode) => {
      const settled = outcome ?? {
        error: new Error(`The key's worker thread stopped (exit code ${exitCode}).`),
      }
      if ('key' in settled) resolve(settled.key)
      else reject(settled.error)
    })
  })
}
