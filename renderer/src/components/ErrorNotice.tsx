import type { AppError, ErrorCode } from '../../../preload/contract'
import type { Scope } from '../../../preload/model'
import { scopeProduct } from '../format'

interface Guidance {
  /** What did not happen, so nobody worries about lost data. */
  safe: string
  /** What to try next. */
  next: string
}

const GUIDANCE: Record<ErrorCode, Guidance> = {
  invalid_input: {
    safe: 'Nothing was saved.',
    next: 'Correct what the message names and try again.',
  },
  key_invalid: {
    safe: 'Nothing was saved.',
    next: 'Choose the private key (.pem) Apple gave you when the API account was created.',
  },
  passphrase_required: {
    safe: 'Nothing was saved.',
    next: 'Enter the passphrase the key was encrypted with.',
  },
  wrong_passphrase: {
    safe: 'Nothing was saved.',
    next: 'Check the passphrase with whoever encrypted the key and try again.',
  },
  duplicate_client_id: {
    safe: 'Nothing was saved; the existing credential is unchanged.',
    next: 'Use the credential already in the list, or check the Client ID.',
  },
  keychain_unavailable: {
    safe: 'Nothing was saved; your existing credentials are unchanged.',
    next: 'Unlock the system keychain (signing out and in again helps) and try again.',
  },
  not_found: {
    safe: 'Nothing was changed.',
    next: 'The list may be out of date: select the item again and retry.',
  },
  tenant_data_decision_required: {
    safe: 'Nothing was removed.',
    next: "Choose whether to keep or delete the tenant's data.",
  },
  confirmation_mismatch: {
    safe: 'Nothing was removed.',
    next: 'Type the tenant name exactly as shown.',
  },
  rotation_failed: {
    safe: "Nothing was changed: the current credential is still active and the tenant's data is untouched.",
    next: 'Fix the cause and retry.',
  },
  auth_failed: {
    safe: 'Nothing was changed.',
    next: 'Check the Client ID, Key ID and key in Apple Business Manager or Apple School Manager. If the key was revoked there, give the tenant its new key with Change Credential.',
  },
  canceled: { safe: 'Nothing was changed.', next: 'Start again when you are ready.' },
  busy: {
    safe: 'Nothing was changed.',
    next: 'Another change is still running: wait for it to finish and try again.',
  },
  sync_failed: {
    safe: 'The devices and coverage synced so far are kept.',
    next: 'Sync again to continue where it stopped.',
  },
  internal: {
    safe: 'Nothing was changed.',
    next: 'Try again; if it keeps happening, restart the app.',
  },
  state_damaged: {
    safe: 'The file was left as it is; nothing was changed.',
    next: 'Quit the app, restore the file from a backup or move it aside, and start the app again.',
  },
}

/** Apple gave no verdict on the key: it could not be reached, did not answer, or answered garbage. */
export const NO_VERDICT: ReadonlySet<string> = new Set([
  'network',
  'timeout',
  'server',
  'bad_response',
  'rate_limited',
])

/** Where an error happened, so the advice fits it. */
export interface ErrorContext {
  /** The portal the credential belongs to, named instead of both. */
  scope?: Scope
  /** A check that changes nothing (Test Connection): no "nothing was changed" reassurance. */
  readOnly?: boolean
}

export function guidanceFor(error: AppError, context: ErrorContext = {}): Guidance {
  const guidance = GUIDANCE[error.code]
  const safe = context.readOnly ? '' : guidance.safe
  if (error.code !== 'auth_failed') return { safe, next: guidance.next }
  if (error.reason && NO_VERDICT.has(error.reason)) {
    return {
      safe,
      next: "This is on Apple's side or the network's, not a sign that the key is wrong. Try again in a few minutes.",
    }
  }
  const product = context.scope
    ? scopeProduct[context.scope]
    : 'Apple Business Manager or Apple School Manager'
  return {
    safe,
    next: `Check the Client ID, Key ID and key in ${product}. If the key was revoked there, give the tenant its new key with Change Credential.`,
  }
}

/** Main's messages often say themselves that nothing was lost; saying it twice reads as noise. */
export function saysNothingWasLost(message: string): boolean {
  return /nothing was (changed|saved|removed|added|imported|lost)/i.test(message)
}

interface ErrorNoticeProps {
  error: AppError
  /** A short headline such as "Could not import the CSV file". */
  title?: string
  context?: ErrorContext
}

/** An error as the user reads it: what happened, that nothing was lost, and what to try. */
export function ErrorNotice({ error, title, context }: ErrorNoticeProps) {
  const { safe, next } = guidanceFor(error, context)
  return (
    <div className="notice notice-error" role="alert">
      {title && <p className="notice-title">{title}</p>}
      <p>{error.message}</p>
      <p className="notice-hint">
        {saysNothingWasLost(error.message) || !safe ? next : `${safe} ${next}`}
      </p>
    </div>
  )
}
