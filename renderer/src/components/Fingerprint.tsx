import { shortFingerprint } from '../../../preload/rules'
import { CopyButton } from './CopyButton'

/**
 * A key fingerprint, shortened for the eye, with the full value on hover, to copy and for screen
 * readers (which ignore aria-label on <code>, so the full text is there, only visually hidden).
 */
export function Fingerprint({ value }: { value: string }) {
  return (
    <span className="fingerprint">
      <span className="visually-hidden">{value}</span>
      <code title={value} aria-hidden="true">
        {shortFingerprint(value)}
      </code>
      <CopyButton text={value} label="Copy fingerprint" />
    </span>
  )
}
