import { StrictMode, useEffect } from 'react'
import { App } from './App'
import { forgetBootAnswers } from './boot'

/**
 * The app as main draws its opening markup and as the window draws (or hydrates) it: one tree, so
 * the two match.
 */
export function Root() {
  // Once the first render is committed its hooks listen to main's events (children's effects run
  // before this one), and the boot's answers are let go.
  useEffect(forgetBootAnswers, [])
  return (
    <StrictMode>
      <App />
    </StrictMode>
  )
}
