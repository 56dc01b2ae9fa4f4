import type { ReactNode } from 'react'

/** A screen's title, a line saying what it is for, and its actions on the right. */
export function ScreenHeader({
  title,
  description,
  children,
}: {
  title: string
  description?: ReactNode
  children?: ReactNode
}) {
  return (
    <header className="screen-header">
      <div>
        <h1>{title}</h1>
        {description && <p className="muted">{description}</p>}
      </div>
      {children}
    </header>
  )
}
