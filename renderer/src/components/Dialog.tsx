import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'
import './Dialog.css'

interface DialogProps {
  title: string
  /** Esc and the close button call this; omit it while something must not be interrupted. */
  onClose?: () => void
  wide?: boolean
  /**
   * What the dialog shows (a wizard's step, a run's phase). When it changes, focus moves to the new
   * content's first field or primary action, instead of falling to the page behind.
   */
  focusKey?: string
  children: ReactNode
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** Where a dialog's focus starts: what its content marks, else the first field, else its main action. */
const INITIAL_FOCUS = [
  '[data-autofocus]:not([disabled])',
  'input:not([disabled]):not([type="checkbox"]):not([type="radio"]), select:not([disabled]), textarea:not([disabled])',
  '.dialog-actions .btn-primary:not([disabled])',
  FOCUSABLE,
]

function focusInitial(dialog: HTMLDialogElement): void {
  const body = dialog.querySelector('.dialog-body')
  for (const selector of INITIAL_FOCUS) {
    const target = body?.querySelector<HTMLElement>(selector)
    if (target) {
      target.focus()
      return
    }
  }
  dialog.querySelector<HTMLElement>(FOCUSABLE)?.focus()
}

/**
 * A modal dialog on the native <dialog> element: the page behind it is inert, Tab cycles inside it
 * and Esc closes it (when closing is allowed). It opens on its first field or main action, and
 * gives focus back to whatever opened it when it closes.
 */
export function Dialog({ title, onClose, wide = false, focusKey, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    dialog.showModal()
    return () => {
      dialog.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])

  // Runs after the opening effect above (effects run in order), so showModal cannot steal it.
  useEffect(() => {
    if (ref.current) focusInitial(ref.current)
  }, [focusKey])

  function keepFocusInside(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Tab' || !ref.current) return
    // A dialog opened over this one keeps its own focus.
    if (event.target instanceof Element && event.target.closest('dialog') !== ref.current) return
    const focusable = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (element) => element.closest('dialog') === ref.current,
    )
    const first = focusable[0]
    const last = focusable.at(-1)
    if (!first || !last) return
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        event.stopPropagation()
        onClose?.()
      }}
      onKeyDown={keepFocusInside}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        {onClose && (
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  )
}

/** The row of buttons at the bottom of a dialog: secondary actions first, the primary one last. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="dialog-actions">{children}</div>
}
