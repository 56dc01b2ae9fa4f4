// Windows group policy: the `ManagedCredentials` value (REG_SZ holding the JSON array) under a
// Policies key. Only administrators can write below SOFTWARE\Policies, in HKLM and in HKCU alike,
// which is what makes these keys administrator-owned.
import { execFile } from 'node:child_process'
import { PayloadFormatError } from './errors'
import { MAX_PAYLOAD_BYTES, decodePayloadBytes } from './payload-bytes'
import type { ManagedSource, SourceReadResult } from './sources'

export const REGISTRY_VALUE_NAME = 'ManagedCredentials'
/**
 * The registry has no change notification reachable without native code, so it is read again this
 * often: a pushed policy must show within two seconds, and one `reg query` costs a few milliseconds.
 */
const POLL_MS = 1_500

export class RegistrySource implements ManagedSource {
  readonly location: string
  readonly #key: string

  /** `key` as `reg` names it, e.g. `HKLM\SOFTWARE\Policies\AxMCredentialManager`. */
  constructor(key: string) {
    this.location = `${key}\\${REGISTRY_VALUE_NAME}`
    this.#key = key
  }

  read(): Promise<SourceReadResult> {
    return new Promise((resolve) => {
      execFile(
        'reg',
        ['query', this.#key, '/v', REGISTRY_VALUE_NAME],
        // reg writes in the ANSI code page: names outside it arrive mangled. Admins who need them
        // can write \uXXXX escapes, which JSON reads back exactly.
        { windowsHide: true, maxBuffer: MAX_PAYLOAD_BYTES, encoding: 'utf8' },
        (error, stdout) => {
          const value = error ? undefined : parseRegQueryValue(stdout, REGISTRY_VALUE_NAME)
          // `reg query` exits 1 both when the key or value is missing and when it cannot read it;
          // either way there is nothing to offer.
          if (value === undefined) return resolve({ present: false })
          resolve(this.#decode(value))
        },
      )
    })
  }

  watch(onChange: () => void): () => void {
    const timer = setInterval(onChange, POLL_MS)
    timer.unref()
    return () => clearInterval(timer)
  }

  #decode(value: string): SourceReadResult {
    try {
      const root = decodePayloadBytes(Buffer.from(value, 'utf8'))
      // The value is named ManagedCredentials already, so it holds the array itself.
      return {
        present: true,
        payload: Array.isArray(root) ? { [REGISTRY_VALUE_NAME]: root } : root,
      }
    } catch (error) {
      const reason = error instanceof PayloadFormatError ? error.message : 'could not be read'
      return { present: true, error: `${this.location} ${reason}.` }
    }
  }
}

/**
 * The data of one string value in `reg query KEY /v NAME` output, whose value lines read
 * `    NAME    REG_SZ    DATA` (four-space separators). Undefined when the value is not listed.
 */
export function parseRegQueryValue(output: string, valueName: string): string | undefined {
  for (const line of output.split(/\r?\n/)) {
    const match = /^ {4}(.+?) {4}(REG_SZ|REG_EXPAND_SZ) {4}(.*)$/.exec(line)
    if (match && match[1]?.toLowerCase() === valueName.toLowerCase()) return match[3]
  }
  return undefined
}
