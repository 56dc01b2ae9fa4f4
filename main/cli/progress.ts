// One line per rotation step, as `change` and `payload import --replace` print them, and one per
// interrupted change found and dealt with before a new one starts.
import type { RotationProgress } from '../../preload/model'
import type { RecoveryResult } from '../rotation/rotation-engine'

const STEP_NAMES: Record<RotationProgress['step'], string> = {
  validate: 'Validate the new credential',
  stage: 'Stage the new key in the keychain',
  confirm: 'Confirm with Apple',
  cutover: 'Cut over',
  purge: 'Remove the old key',
}

export function describeProgress({ step, state, message }: RotationProgress): string {
  const mark = state === 'done' ? '✓' : state === 'failed' ? '✗' : '…'
  return `${mark} ${STEP_NAMES[step]}${message ? `: ${message}` : ''}`
}

export function describeRecovery({ action, message }: RecoveryResult): string {
  switch (action) {
    case 'finished':
      return 'An interrupted credential change had already switched its tenant over; it is now complete.'
    case 'rolled_back':
      return 'An interrupted credential change was undone; its tenant kept its credential.'
    case 'deferred':
      return `A credential change found unfinished was left as it is: ${message ?? 'it could not be finished or undone.'}`
  }
}
