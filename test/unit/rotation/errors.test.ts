import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AuthError } from '../../../main/auth/auth-error'
import { describeFailure, failedBeforeCutover } from '../../../main/rotation/errors'
import { KeychainUnavailableError } from '../../../main/vault/errors'
import { StateFileError } from '../../../main/vault/state-store'
import { makeP256Key } from '../../support/openssl-keys'

describe('describeFailure', () => {
  it('passes on the messages of errors written to be shown, under their codes', () => {
    expect(describeFailure(new AuthError('invalid_client', 'Apple rejected this key.'))).toEqual({
      code: 'auth_failed',
      reason: 'Apple rejected this key.',
    })
    expect(describeFailure(new AuthError('canceled', 'The check was canceled.')).code).toBe(
      'canceled',
    )
    expect(describeFailure(new KeychainUnavailableError()).code).toBe('keychain_unavailable')
    expect(describeFailure(new StateFileError('The list is damaged.'))).toEqual({
      code: 'rotation_failed',
      reason: 'The list is damaged.',
    })
  })

  it('treats an aborted signal as a cancel', () => {
    const controller = new AbortController()
    controller.abort()
    expect(describeFailure(controller.signal.reason).code).toBe('canceled')
  })

  it('keeps only the name or system code of other errors, which could quote a key', () => {
    const pem = readFileSync(makeP256Key(mkdtempSync(join(tmpdir(), 'axm-errors-'))), 'utf8')
    const quoting = new TypeError(`Received ${pem}`)
    expect(describeFailure(quoting).reason).toBe('an unexpected error occurred (TypeError).')
    const disk = Object.assign(new Error("ENOSPC: no space left, write '/x'"), { code: 'ENOSPC' })
    expect(describeFailure(disk).reason).toBe(
      "the app's files could not be read or written (ENOSPC).",
    )
    const coded = Object.assign(new Error(`secret ${pem}`), { code: 'ERR_INVALID_ARG_TYPE' })
    expect(describeFailure(coded).reason).not.toContain('BEGIN')
  })
})

describe('failedBeforeCutover', () => {
  it('says which step failed, why, and that the old credential is still in use', () => {
    const error = failedBeforeCutover({
      code: 'auth_failed',
      step: 'confirm',
      reason: 'Apple rejected this key.',
      oldName: 'Main office',
      cleanupDeferred: false,
      cause: undefined,
    })
    expect(error).toMatchObject({ code: 'auth_failed', step: 'confirm' })
    expect(error.message).toBe(
      'Confirming the new key with Apple failed: Apple rejected this key. ' +
        'Nothing was changed: "Main office" is still the tenant\'s credential.',
    )
  })
})
