// The state behind the credential form, shared by Add Credential and the Change Credential wizard:
// the typed fields, the private key as given, what main found in it, and every validation message.
import { useRef, useState } from 'react'
import type { AppError, KeyInput, NewCredentialInput } from '../../../../preload/contract'
import type { KeyInspection, Scope } from '../../../../preload/model'
import {
  clientIdPattern,
  clientIdRule,
  displayNameRule,
  keyIdRule,
  scopeOfClientId,
  type Rule,
} from '../../../../preload/rules'
import { api, settle } from '../../api'
import { scopeProduct } from '../../format'

export type KeyState =
  | { status: 'empty' }
  | { status: 'checking' }
  /** Encrypted: main needs the passphrase; `error` after a wrong one. */
  | { status: 'locked'; error?: AppError }
  | { status: 'invalid'; error: AppError }
  | { status: 'ready'; inspection: KeyInspection }

export interface GivenKey {
  input: KeyInput
  /** What the user sees of it: a file name, or "Pasted text". */
  label: string
}

export interface CredentialFields {
  name: string
  clientId: string
  keyId: string
  passphrase: string
  /** The paste box, kept apart from `key` so choosing a file can clear it. */
  pastedText: string
}

type FieldName = 'name' | 'clientId' | 'keyId' | 'key'

export interface CredentialFormOptions {
  initial?: Partial<Pick<CredentialFields, 'name' | 'clientId' | 'keyId'>>
  /** Change Credential: the new key must not be the one the credential already uses. */
  currentFingerprint?: string
  /** Change Credential: a tenant keeps its scope, so the new Client ID must have the same prefix. */
  requiredScope?: Scope
}

function schemaError(schema: Rule<string>, value: string): string | undefined {
  const parsed = schema.safeParse(value)
  return parsed.success ? undefined : parsed.error.issues[0]?.message
}

export function useCredentialForm(options: CredentialFormOptions = {}) {
  const [fields, setFields] = useState<CredentialFields>({
    name: options.initial?.name ?? '',
    clientId: options.initial?.clientId ?? '',
    keyId: options.initial?.keyId ?? '',
    passphrase: '',
    pastedText: '',
  })
  const [key, setGivenKey] = useState<GivenKey | null>(null)
  const [keyState, setKeyState] = useState<KeyState>({ status: 'empty' })
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({})
  const [attempted, setAttempted] = useState(false)
  // Only the answer to the latest inspection counts; a slow earlier one must not overwrite it.
  const latestInspection = useRef(0)

  /** What main found in the key; undefined when a later inspection has overtaken this one. */
  async function inspect(input: KeyInput, passphrase: string): Promise<KeyState | undefined> {
    const ticket = ++latestInspection.current
    setKeyState({ status: 'checking' })
    const result = await settle(
      api().inspectKey({ key: input, passphrase: passphrase === '' ? undefined : passphrase }),
    )
    if (ticket !== latestInspection.current) return undefined
    const state: KeyState = result.ok
      ? { status: 'ready', inspection: result.value }
      : result.error.code === 'passphrase_required'
        ? { status: 'locked' }
        : result.error.code === 'wrong_passphrase'
          ? { status: 'locked', error: result.error }
          : { status: 'invalid', error: result.error }
    setKeyState(state)
    return state
  }

  function setField(name: 'name' | 'clientId' | 'keyId' | 'passphrase', value: string) {
    setFields((current) => ({ ...current, [name]: value }))
    setServerErrors(({ [name as FieldName]: _cleared, ...rest }) => rest)
    // A key unlocked with the old passphrase must be unlocked again with the one that is sent.
    if (name === 'passphrase' && keyState.status === 'ready') setKeyState({ status: 'locked' })
  }

  function setKey(given: GivenKey | null, pastedText = '') {
    latestInspection.current++
    setGivenKey(given)
    setFields((current) => ({ ...current, pastedText, passphrase: '' }))
    setServerErrors(({ key: _cleared, ...rest }) => rest)
    if (given) void inspect(given.input, '')
    else setKeyState({ status: 'empty' })
  }

  function paste(text: string) {
    setKey(
      text.trim() === '' ? null : { input: { kind: 'text', text }, label: 'Pasted text' },
      text,
    )
  }

  function unlock() {
    if (key && fields.passphrase !== '') void inspect(key.input, fields.passphrase)
  }

  const clientId = fields.clientId.trim()
  const scope = clientIdPattern.test(clientId) ? scopeOfClientId(clientId) : undefined
  const show = (value: string) => attempted || value.trim() !== ''

  const errors: Partial<Record<FieldName, string>> = {
    name: serverErrors.name ?? (attempted ? schemaError(displayNameRule, fields.name) : undefined),
    clientId:
      serverErrors.clientId ??
      (show(fields.clientId) ? schemaError(clientIdRule, fields.clientId) : undefined) ??
      (scope && options.requiredScope && scope !== options.requiredScope
        ? `This tenant is in ${scopeProduct[options.requiredScope]}; the new Client ID must be too.`
        : undefined),
    keyId:
      serverErrors.keyId ?? (show(fields.keyId) ? schemaError(keyIdRule, fields.keyId) : undefined),
    key: serverErrors.key ?? keyProblem(keyState, options.currentFingerprint, attempted),
  }

  /** Anything typed or given beyond what the form opened with: closing would throw it away. */
  const dirty =
    key !== null ||
    fields.name !== (options.initial?.name ?? '') ||
    fields.clientId !== (options.initial?.clientId ?? '') ||
    fields.keyId !== (options.initial?.keyId ?? '')

  const fieldsComplete =
    !schemaError(displayNameRule, fields.name) &&
    !schemaError(clientIdRule, fields.clientId) &&
    !schemaError(keyIdRule, fields.keyId) &&
    !errors.name &&
    !errors.clientId &&
    !errors.keyId
  const valid = fieldsComplete && keyState.status === 'ready' && !errors.key

  /** Save without Unlock Key first: the typed passphrase unlocks the key on the way. */
  async function readyKeyState(): Promise<KeyState | undefined> {
    if (key && keyState.status === 'locked' && fields.passphrase !== '') {
      return inspect(key.input, fields.passphrase)
    }
    return keyState
  }

  /**
   * The input for addCredential / changeCredential, or null (and every error shown) if not ready.
   * An encrypted key with its passphrase typed is unlocked first.
   */
  async function submit(): Promise<Omit<NewCredentialInput, 'scope' | 'tenantId'> | null> {
    setAttempted(true)
    if (!fieldsComplete || !key || serverErrors.key) return null
    const state = await readyKeyState()
    if (state?.status !== 'ready' || keyProblem(state, options.currentFingerprint, true)) {
      return null
    }
    return {
      name: fields.name.trim(),
      clientId,
      keyId: fields.keyId.trim(),
      key: key.input,
      passphrase: fields.passphrase === '' ? undefined : fields.passphrase,
    }
  }

  /** Puts an error main reported next to the field it is about; false if it belongs to none. */
  function showServerError(error: AppError): boolean {
    const field = fieldOfError(error)
    if (field) setServerErrors((current) => ({ ...current, [field]: error.message }))
    return field !== undefined
  }

  return {
    fields,
    key,
    keyState,
    scope,
    errors,
    valid,
    dirty,
    setField,
    setKey,
    paste,
    unlock,
    submit,
    showServerError,
  }
}

export type CredentialForm = ReturnType<typeof useCredentialForm>

function keyProblem(
  state: KeyState,
  currentFingerprint: string | undefined,
  attempted: boolean,
): string | undefined {
  if (state.status === 'invalid') return state.error.message
  if (state.status === 'locked') {
    return (
      state.error?.message ??
      (attempted ? 'This key is encrypted: enter its passphrase, then Save again.' : undefined)
    )
  }
  if (state.status === 'empty')
    return attempted ? 'Choose, drop or paste the private key.' : undefined
  if (state.status === 'ready' && state.inspection.publicKeyFingerprint === currentFingerprint) {
    return 'This is the key the credential already uses. Use the new key you downloaded from Apple.'
  }
  return undefined
}

function fieldOfError(error: AppError): FieldName | undefined {
  switch (error.code) {
    case 'duplicate_client_id':
      return 'clientId'
    case 'key_invalid':
    case 'passphrase_required':
    case 'wrong_passphrase':
      return 'key'
    default:
      return undefined
  }
}
