import { Fragment } from 'react'
import { CopyButton } from './CopyButton'

/** A long identifier (Client ID, Key ID) that may wrap after its dots and dashes, and nowhere else. */
export function BreakableId({ value }: { value: string }) {
  const parts = value.split(/(?<=[.-])/)
  return (
    <span className="breakable-id">
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </span>
  )
}

/** An identifier people paste into Apple's portal or a ticket: shown whole, with a copy button. */
export function CopyableId({ value, label }: { value: string; label: string }) {
  return (
    <span className="copyable-id">
      <BreakableId value={value} />
      <CopyButton text={value} label={`Copy ${label}`} />
    </span>
  )
}
