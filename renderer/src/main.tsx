// First: boot.ts asks main for the first screen's data before React is evaluated.
import { bootAnswered, forgetBootAnswers } from './boot'
import { StrictMode } from 'react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import './styles/theme.css'
import './styles/base.css'
import './styles/layout.css'
import './styles/forms.css'
import './styles/tables.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
// Until the boot's answers are here, index.html's own "Loading…" shows. The first render then
// takes them all at once, synchronously, so it is drawn whole and its effects' requests go out in
// this task; nothing of it reads an answer after this.
void bootAnswered.then(() => {
  flushSync(() =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  )
  forgetBootAnswers()
})
