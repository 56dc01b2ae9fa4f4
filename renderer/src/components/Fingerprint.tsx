import { shortFingerprint } from '../../../preload/rules'
import { CopyButton } from './CopyButton'

/** A key fingerprint, shortened for the eye, with the full value on hover and to copy. */
export function Fingerprint({ value }: { value: string }) {
  return (
    <span className="fingerprint">
      <code title={value} aria-label={`Fingerprint ${value}`}>
        {shortFingerprint(value)}
      </code>
      <CopyButton text={value} label="Copy fingerprint" />
    </span>
  )
}
