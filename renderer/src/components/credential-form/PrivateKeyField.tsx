import { useId, useState, type DragEvent } from 'react'
import { api, settle } from '../../api'
import { Fingerprint } from '../Fingerprint'
import { readDroppedKey } from './readDroppedKey'
import type { CredentialForm, KeyState } from './useCredentialForm'

const formatLabel: Record<string, string> = {
  pkcs8: 'PKCS#8',
  sec1: 'SEC1',
  'encrypted-pkcs8': 'encrypted PKCS#8',
  pkcs12: 'PKCS#12',
}

const ENCRYPTED_FORMATS = new Set(['encrypted-pkcs8', 'pkcs12'])

/** The private key, three ways: main's file picker, drag and drop, or pasted PEM text. */
export function PrivateKeyField({ form }: { form: CredentialForm }) {
  const id = useId()
  const [dragging, setDragging] = useState(false)
  const [pickError, setPickError] = useState<string>()
  // Masked by default; shown on request, so a paste that is refused can be looked at.
  const [textShown, setTextShown] = useState(false)
  const { key, keyState, fields, errors } = form

  async function chooseFile() {
    setPickError(undefined)
    const result = await settle(api().pickKeyFile({}))
    if (!result.ok) setPickError(result.error.message)
    else if (result.value) {
      const { token, fileName } = result.value
      form.setKey({ input: { kind: 'picked', token }, label: fileName })
    }
  }

  async function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault()
    setDragging(false)
    const { files } = event.dataTransfer
    setPickError(
      files.length > 1
        ? `${files.length} files were dropped; drop only the one private key file. None was used.`
        : undefined,
    )
    const file = files[0]
    if (file && files.length === 1) form.setKey(await readDroppedKey(file))
  }

  const needsPassphrase =
    keyState.status === 'locked' ||
    (keyState.status === 'ready' && ENCRYPTED_FORMATS.has(keyState.inspection.format))
  const errorId = `${id}-error`

  return (
    <fieldset className="field key-field" aria-describedby={errors.key ? errorId : undefined}>
      <legend>Private key</legend>
      <div
        className={dragging ? 'key-drop key-drop-active' : 'key-drop'}
        onDragOver={(event) => {
          event.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => void drop(event)}
        data-testid="key-drop-zone"
      >
        <div className="key-drop-row">
          <button type="button" className="btn" onClick={() => void chooseFile()}>
            Choose File…
          </button>
          <span className="muted">
            or drop a .pem, .p12 or .pfx file here, or paste the PEM text:
          </span>
        </div>
        <textarea
          id={`${id}-paste`}
          aria-label="Private key text"
          className={fields.pastedText && !textShown ? 'key-paste key-paste-masked' : 'key-paste'}
          rows={4}
          spellCheck={false}
          autoComplete="off"
          placeholder="Paste the key text: it starts with BEGIN PRIVATE KEY"
          value={fields.pastedText}
          onChange={(event) => form.paste(event.target.value)}
        />
        {fields.pastedText && (
          <button
            type="button"
            className="link-button"
            aria-pressed={textShown}
            aria-controls={`${id}-paste`}
            onClick={() => setTextShown((shown) => !shown)}
          >
            Show key text
          </button>
        )}
      </div>
      {pickError && <div className="field-error">{pickError}</div>}
      {key && <KeyStatus label={key.label} state={keyState} onClear={() => form.setKey(null)} />}
      {needsPassphrase && <PassphraseRow form={form} />}
      {errors.key && (
        <div id={errorId} className="field-error" role="alert">
          {errors.key}
        </div>
      )}
    </fieldset>
  )
}

function KeyStatus({
  label,
  state,
  onClear,
}: {
  label: string
  state: KeyState
  onClear: () => void
}) {
  return (
    <div className="key-status" aria-live="polite">
      <span className="key-source">{label}</span>
      {state.status === 'checking' && <span className="muted">Checking the key…</span>}
      {state.status === 'locked' && <span className="muted">Encrypted: enter its passphrase.</span>}
      {state.status === 'ready' && (
        <span>
          EC P-256, {formatLabel[state.inspection.format]} · Fingerprint{' '}
          <Fingerprint value={state.inspection.publicKeyFingerprint} />
        </span>
      )}
      <button type="button" className="link-button" onClick={onClear}>
        Clear
      </button>
    </div>
  )
}

function PassphraseRow({ form }: { form: CredentialForm }) {
  const id = useId()
  return (
    <div className="field passphrase-row">
      <label htmlFor={id}>Passphrase</label>
      <div className="inline-controls">
        <input
          id={id}
          type="password"
          autoComplete="off"
          value={form.fields.passphrase}
          onChange={(event) => form.setField('passphrase', event.target.value)}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return
            event.preventDefault()
            form.unlock()
          }}
        />
        <button
          type="button"
          className="btn"
          disabled={form.fields.passphrase === '' || form.keyState.status !== 'locked'}
          onClick={form.unlock}
        >
          Unlock Key
        </button>
      </div>
    </div>
  )
}
