import { useState } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { ConnectionCheck, Credential } from '../../../../preload/model'
import { api, settle } from '../../api'
import { ErrorNotice } from '../../components/ErrorNotice'

type TestState =
  | { phase: 'idle' }
  | { phase: 'testing' }
  | { phase: 'checked'; check: ConnectionCheck }
  | { phase: 'error'; error: AppError }

/** Test Connection for the selected credential, and what Apple said. */
export function ConnectionTest({
  credential,
  onChecked,
}: {
  credential: Credential
  onChecked: () => void
}) {
  const [state, setState] = useState<TestState>({ phase: 'idle' })

  async function test() {
    setState({ phase: 'testing' })
    const result = await settle(api().testConnection({ credentialId: credential.id }))
    setState(
      result.ok
        ? { phase: 'checked', check: result.value }
        : { phase: 'error', error: result.error },
    )
    onChecked()
  }

  return (
    <div className="connection-test">
      <button
        type="button"
        className="btn"
        disabled={credential.status === 'retired' || state.phase === 'testing'}
        onClick={() => void test()}
      >
        {state.phase === 'testing' ? 'Testing…' : 'Test Connection'}
      </button>
      <div className="connection-test-result" aria-live="polite">
        {state.phase === 'checked' &&
          (state.check.ok ? (
            <p className="notice notice-success" role="status">
              {credential.name}: {state.check.message}
            </p>
          ) : (
            <ErrorNotice
              error={{ code: 'auth_failed', message: state.check.message }}
              title={`${credential.name}: the connection test failed.`}
            />
          ))}
        {state.phase === 'error' && (
          <ErrorNotice error={state.error} title="The connection could not be tested." />
        )}
      </div>
    </div>
  )
}
