import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { AuditSecretError } from '../../../main/audit/audit-log'
import {
  badResponse,
  canceled,
  invalidClient,
  refused,
  serverFailure,
  timedOut,
  unreachable,
} from '../../../main/auth/auth-error'
import { ClientAssertionError } from '../../../main/auth/client-assertion'
import { EndpointOverrideError } from '../../../main/net/loopback'
import { toAppError } from '../../../main/ipc/app-error'
import { PickedFileError } from '../../../main/ipc/picked-files'
import { ManagedImportError, PayloadBuildError } from '../../../main/managed/errors'
import {
  RotationConflictError,
  RotationError,
  failedBeforeCutover,
} from '../../../main/rotation/errors'
import { CsvImportError, TenantBusyError, TenantDatabaseError } from '../../../main/tenants/errors'
import { KeyStructureError } from '../../../main/vault/asn1'
import { KeyError, KeychainUnavailableError, VaultError } from '../../../main/vault/errors'
import { StateFileError } from '../../../main/vault/state-store'

const GENERIC =
  'Something unexpected went wrong. Nothing was changed. Try again, or restart the app.'

let logged: MockInstance<typeof console.error>
beforeEach(() => {
  logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
})
afterEach(() => logged.mockRestore())

describe('toAppError: the app’s own errors', () => {
  it.each([
    ['StateFileError', new StateFileError('The app state file is damaged.'), 'internal'],
    ['TenantDatabaseError', new TenantDatabaseError('The tenant database is damaged.'), 'internal'],
    ['CsvImportError', new CsvImportError('The file has no Serial column.'), 'invalid_input'],
    ['TenantBusyError', new TenantBusyError(), 'busy'],
    ['RotationConflictError', new RotationConflictError('Another window changed it.'), 'internal'],
    ['ManagedImportError', new ManagedImportError('not_found', 'No such entry.'), 'not_found'],
    [
      'ManagedImportError (internal)',
      new ManagedImportError('internal', 'The new credential is missing.'),
      'internal',
    ],
    ['AuditSecretError', new AuditSecretError(), 'internal'],
    ['PickedFileError', new PickedFileError('Choose it again.'), 'invalid_input'],
    ['PayloadBuildError', new PayloadBuildError('line 3: bad Client ID'), 'invalid_input'],
    ['KeyStructureError', new KeyStructureError('Unexpected key structure.'), 'internal'],
    ['VaultError', new VaultError('not_found', 'No such credential.'), 'not_found'],
    ['KeyError', new KeyError('wrong_passphrase', 'Wrong passphrase.'), 'wrong_passphrase'],
    ['KeychainUnavailableError', new KeychainUnavailableError(), 'keychain_unavailable'],
    ['ClientAssertionError', new ClientAssertionError('The key cannot sign.'), 'key_invalid'],
    [
      'EndpointOverrideError',
      new EndpointOverrideError('AXM_OAUTH_TOKEN_URL is not a URL.'),
      'invalid_input',
    ],
  ] as const)('shows the message of a %s, under its code', (_name, error, code) => {
    expect(toAppError(error)).toEqual({ code, message: error.message })
    expect(logged).not.toHaveBeenCalled()
  })

  it('keeps the step of a RotationError', () => {
    const error = new RotationError('busy', 'validate', 'This change is already running.')
    expect(toAppError(error)).toEqual({
      code: 'busy',
      step: 'validate',
      message: 'This change is already running.',
    })
  })
})

describe('toAppError: why Apple did not confirm', () => {
  it.each([
    [invalidClient(), 'invalid_client'],
    [refused('invalid_request', 'invalid_scope: scope not allowed'), 'invalid_request'],
    [refused('rejected', 'HTTP 403'), 'rejected'],
    [unreachable('ECONNREFUSED', new Error('fetch failed')), 'network'],
    [timedOut(300), 'timeout'],
    [serverFailure(503), 'server'],
    [badResponse(200), 'bad_response'],
  ] as const)('reports %s as auth_failed with reason %s', (error, reason) => {
    expect(toAppError(error)).toEqual({ code: 'auth_failed', message: error.message, reason })
  })

  it('reports a canceled token request as canceled', () => {
    expect(toAppError(canceled())).toEqual({
      code: 'canceled',
      message: 'The check was canceled.',
      reason: 'canceled',
    })
  })

  it('passes the reason through a rotation that stopped at its confirm step', () => {
    const cause = timedOut(20_000)
    const failure = failedBeforeCutover({
      code: 'auth_failed',
      step: 'confirm',
      reason: cause.message,
      oldName: 'Northwind Traders',
      cleanupDeferred: false,
      cause,
    })
    expect(toAppError(failure)).toEqual({
      code: 'auth_failed',
      step: 'confirm',
      message: failure.message,
      reason: 'timeout',
    })
  })

  it('gives no reason for a rotation that stopped for another cause', () => {
    const failure = failedBeforeCutover({
      code: 'keychain_unavailable',
      step: 'stage',
      reason: 'The keychain is locked.',
      oldName: 'Northwind Traders',
      cleanupDeferred: false,
      cause: new KeychainUnavailableError(),
    })
    expect(toAppError(failure)).not.toHaveProperty('reason')
  })
})

describe('toAppError: anything else', () => {
  it('hides a TypeError behind the generic message and logs only its name', () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'hunter2')")
    expect(toAppError(error)).toEqual({ code: 'internal', message: GENERIC })
    expect(logged).toHaveBeenCalledWith('Unexpected TypeError in a request')
    // Where it happened is logged, for the maintainers; what it said is not.
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^\s+at .*app-error\.test\.ts/))
    expect(JSON.stringify(logged.mock.calls)).not.toContain('hunter2')
  })

  it('does not quote the input a node argument error names', () => {
    let error: unknown
    try {
      createHash('sha256').update(424242 as never)
    } catch (thrown) {
      error = thrown
    }
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
    expect((error as Error).message).toContain('424242')
    const shown = toAppError(error)
    expect(shown).toEqual({ code: 'internal', message: GENERIC })
    expect(JSON.stringify(shown)).not.toContain('424242')
    expect(JSON.stringify(logged.mock.calls)).not.toContain('424242')
  })

  it('does not trust an error that merely carries an app code', () => {
    const error = Object.assign(new Error('secret input abc'), { code: 'invalid_input' })
    expect(toAppError(error)).toEqual({ code: 'internal', message: GENERIC })
  })

  it('handles a thrown non-error', () => {
    expect(toAppError('plain string')).toEqual({ code: 'internal', message: GENERIC })
    expect(logged).toHaveBeenCalledWith('Unexpected string in a request')
  })
})
