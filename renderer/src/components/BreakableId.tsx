import { Fragment } from 'react'

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
