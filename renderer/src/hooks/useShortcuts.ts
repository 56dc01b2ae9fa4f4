import { useEffect, useEffectEvent } from 'react'

/**
 * The app's keyboard shortcuts: Ctrl+N (Cmd+N on a Mac) adds a credential, Ctrl/Cmd+F focuses the
 * current screen's search box. None acts while a dialog is open: the dialog has the keyboard.
 */
export function useShortcuts({ addCredential }: { addCredential: () => void }): void {
  const onAdd = useEffectEvent(addCredential)
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const command = event.ctrlKey || event.metaKey
      if (!command || event.altKey || event.shiftKey) return
      if (document.querySelector('dialog[open]')) return
      const key = event.key.toLowerCase()
      if (key === 'n') {
        event.preventDefault()
        onAdd()
      } else if (key === 'f') {
        const search = document.querySelector<HTMLInputElement>('main [data-screen-search]')
        if (!search) return
        event.preventDefault()
        search.focus()
        search.select()
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
