import { useState, type ReactNode } from 'react'
import { Dialog, DialogActions } from './Dialog'

/**
 * Closing a dialog that holds what the admin typed (Esc, ×, Cancel) asks first, so a filled form is
 * never thrown away by a stray key. `close` is what the dialog's close paths call; `prompt` is
 * rendered inside the dialog.
 */
export function useDiscardGuard(
  dirty: boolean,
  onClose: () => void,
  what: string,
): { close: () => void; prompt: ReactNode } {
  const [asking, setAsking] = useState(false)
  const close = () => (dirty ? setAsking(true) : onClose())
  const prompt = asking && (
    <Dialog title="Discard what you entered?" onClose={() => setAsking(false)}>
      <p>{what} is not saved. Closing now throws away what you entered.</p>
      <DialogActions>
        <button type="button" className="btn btn-danger-quiet" onClick={onClose}>
          Discard
        </button>
        <button type="button" className="btn btn-primary" onClick={() => setAsking(false)}>
          Keep Editing
        </button>
      </DialogActions>
    </Dialog>
  )
  return { close, prompt }
}
