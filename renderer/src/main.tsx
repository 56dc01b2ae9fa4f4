// First: the boot starts before React is evaluated (see start-boot.ts).
import { booted } from './start-boot'
import { flushSync } from 'react-dom'
import { createRoot, hydrateRoot } from 'react-dom/client'
import { OPENING_DRAWN_AGAIN } from '../../preload/boot'
import { Root } from './Root'
import './styles/theme.css'
import './styles/base.css'
import './styles/layout.css'
import './styles/forms.css'
import './styles/tables.css'

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root element')

void booted.then(({ drawnByMain }) => {
  if (drawnByMain) {
    // Main drew the opening screen into the page, which showed it before any script ran; React
    // takes that markup over. If it ever differed from this render, React draws the screen anew,
    // which is slower but right: said on the console, as the e2e tests check it never happens.
    hydrateRoot(container, <Root />, {
      onRecoverableError: (error) => console.error(OPENING_DRAWN_AGAIN, error),
    })
    return
  }
  // Until the boot's answers are here, index.html's own "Loading…" shows. The first render then
  // takes them all at once, synchronously, so it is drawn whole and its effects' requests go out in
  // this task.
  flushSync(() => createRoot(container).render(<Root />))
})
