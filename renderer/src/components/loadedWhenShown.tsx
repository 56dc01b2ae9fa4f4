import { lazy, Suspense, type ComponentType } from 'react'

/**
 * A component whose module is loaded the first time it is shown: Vite gives that module a chunk
 * of its own, so the first paint neither fetches nor evaluates it. Until it is here (a file read
 * away), nothing is drawn in its place.
 */
export function loadedWhenShown<P extends object>(
  load: () => Promise<ComponentType<P>>,
): ComponentType<P> {
  const Loaded = lazy(async () => ({ default: await load() }))
  return function WhenShown(props: P) {
    return (
      <Suspense fallback={null}>
        <Loaded {...props} />
      </Suspense>
    )
  }
}
