import { useState } from 'react'
import type { AppError } from '../../../../preload/contract'
import type { ConnectionCheck, Credential } from '../../../../preload/model'
import { api, settle } from '../../api'
import { ErrorNotice } from '../../components/ErrorNotice'

type TestState =
  | { phase: 'idle' }
  | { phase: 'testing' }
  | { phase: 'checked'; check: ConnectionCheck }
  | { phase: 'canceled' }
  | { phase: 'error'; error: AppError }

/**
 * Test Connection for the selected credential, and what Apple said. Apple may take up to its
 * timeout to answer, so the test says it is waiting and can be canceled; a canceled test records
 * nothing.
 */
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
    if (result.ok) setState({ phase: 'checked', check: result.value })
    else if (result.error.code === 'canceled') setState({ phase: 'canceled' })
    else setState({ phase: 'error', error: result.error })
    onChecked()
  }

  const context = { scope: credential.scope, readOnly: true }
  return (
    <div className="connection-test">
      {state.phase === 'testing' ? (
        <button
          type="button"
          className="btn"
          onClick={() => void settle(api().cancelConnectionTest({ credentialId: credential.id }))}
        >
          Cancel Test
        </button>
      ) : (
        <button
          type="button"
          className="btn"
          disabled={credential.status === 'retired'}
          onClick={() => void test()}
        >
          Test Connection
        </button>
      )}
      <div className="connection-test-result" aria-live="polite">
        {state.phase === 'testing' && (
          <p className="notice notice-info" role="status">
            Testing {credential.name}: waiting for Apple&apos;s sign-in service, which can take up
            to 20 seconds…
          </p>
        )}
        {state.phase === 'canceled' && (
          <p className="notice notice-info" role="status">
            The test of {credential.name} was canceled; nothing was recorded.
          </p>
        )}
        {state.phase === 'checked' &&
          (state.check.ok ? (
            <p className="notice notice-success" role="status">
              {credential.name}: {state.check.message}
            </p>
          ) : (
            <ErrorNotice
              error={{
                code: 'auth_failed',
                message: state.check.message,
                reason: state.check.reason,
              }}
              title={`${credential.name}: the connection test failed.`}
              context={context}
            />
          ))}
        {state.phase === 'error' && (
          <ErrorNotice
            error={state.error}
            title="The connection could not be tested."
            context={context}
          />
        )}
      </div>
    </div>
  )
}
