import { useId } from 'react'

/**
 * A screen's search box. Ctrl/Cmd+F focuses the one on the current screen (App), so each screen
 * has at most one, marked for it.
 */
export function SearchField({
  label,
  value,
  onValueChange,
  placeholder,
}: {
  label: string
  value: string
  onValueChange: (value: string) => void
  placeholder?: string
}) {
  const id = useId()
  return (
    <div className="field field-inline search-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={value}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        aria-keyshortcuts="Control+F Meta+F"
        data-screen-search
        onChange={(event) => onValueChange(event.target.value)}
      />
    </div>
  )
}
