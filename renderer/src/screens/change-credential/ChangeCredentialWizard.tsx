import { useState, type FormEvent } from 'react'
import type { Credential, Tenant } from '../../../../preload/model'
import { api } from '../../api'
import { CredentialFormFields } from '../../components/credential-form/CredentialFormFields'
import { useCredentialForm } from '../../components/credential-form/useCredentialForm'
import { Dialog, DialogActions } from '../../components/Dialog'
import { useDiscardGuard } from '../../components/useDiscardGuard'
import type { CredentialSummary } from '../../components/rotation/CredentialSummary'
import { RotationRunView } from '../../components/rotation/RotationRunView'
import { useRotationRun } from '../../components/rotation/useRotationRun'
import { ReviewStep } from './ReviewStep'
import { WizardSteps, type WizardStep } from './WizardSteps'

interface ChangeCredentialWizardProps {
  credential: Credential
  tenant: Tenant | undefined
  onClose: () => void
  onChanged: () => void
}

/** Review → New credential → Migrate → Result, for one tenant's active credential. */
export function ChangeCredentialWizard({
  credential,
  tenant,
  onClose,
  onChanged,
}: ChangeCredentialWizardProps) {
  const [editing, setEditing] = useState<'Review' | 'New credential'>('Review')
  const form = useCredentialForm({
    initial: { name: credential.name, clientId: credential.clientId },
    currentFingerprint: credential.publicKeyFingerprint,
    requiredScope: tenant?.scope ?? credential.scope,
  })
  const rotation = useRotationRun()
  const run = rotation.run
  const step: WizardStep = !run ? editing : run.phase === 'succeeded' ? 'Result' : 'Migrate'
  const guard = useDiscardGuard(
    form.dirty && run?.phase !== 'succeeded',
    onClose,
    'The new credential',
  )

  async function migrate(confirmOffline: boolean) {
    const input = await form.submit()
    if (!input) return
    const result = await rotation.start((runId) =>
      api().changeCredential({ runId, credentialId: credential.id, ...input, confirmOffline }),
    )
    if (result.ok) onChanged()
  }

  function submitNew(event: FormEvent) {
    event.preventDefault()
    void migrate(false)
  }

  const from: CredentialSummary = {
    name: credential.name,
    clientId: credential.clientId,
    keyId: credential.keyId,
    fingerprint: credential.publicKeyFingerprint,
  }
  const to: CredentialSummary = {
    name: form.fields.name.trim(),
    clientId: form.fields.clientId.trim(),
    keyId: form.fields.keyId.trim(),
    fingerprint:
      form.keyState.status === 'ready' ? form.keyState.inspection.publicKeyFingerprint : undefined,
  }

  return (
    <Dialog
      title={`Change Credential: ${credential.name}`}
      onClose={run?.phase === 'running' ? undefined : guard.close}
      focusKey={run ? `${step}:${run.phase}` : step}
      wide
    >
      <WizardSteps current={step} />
      {step === 'Review' && (
        <ReviewStep
          credential={credential}
          tenant={tenant}
          onCancel={guard.close}
          onNext={() => setEditing('New credential')}
        />
      )}
      {step === 'New credential' && (
        <form onSubmit={submitNew} noValidate>
          <p className="muted">
            Enter the new API account details from Apple. The new key must be a different key from
            the current one.
          </p>
          <CredentialFormFields form={form} />
          <DialogActions>
            <button type="button" className="btn" onClick={() => setEditing('Review')}>
              Back
            </button>
            <button type="submit" className="btn btn-primary">
              Migrate Credential
            </button>
          </DialogActions>
        </form>
      )}
      {run && (
        <RotationRunView
          run={run}
          from={from}
          to={to}
          onCancel={rotation.cancel}
          onRetry={({ confirmOffline }) => void migrate(confirmOffline)}
          onBack={() => {
            rotation.reset()
            setEditing('New credential')
          }}
          onClose={guard.close}
        />
      )}
      {guard.prompt}
    </Dialog>
  )
}
