// One line per rotation step, as `change` and `payload import --replace` print them.
import type { RotationProgress } from '../../preload/model'

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
