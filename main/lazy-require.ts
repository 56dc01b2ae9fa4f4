// A CommonJS package loaded at its first use instead of at start: node-forge and proper-lockfile
// cost the CLI more than the rest of `axm-credentials list` together, and most runs never use them;
// so does node:crypto (some 8 ms to load), which a run that only reads the state file never uses.
// A builtin required, not imported, is also spared the ES-module namespace of all its exports.
// (ES modules are loaded later with `await import()`; these two are used from synchronous code.)
import { createRequire } from 'node:module'

// Not named `require`: electron-vite's ES-module shim declares one in a module that uses the name.
const requireModule = createRequire(import.meta.url)

/** A getter that requires `id` the first time it is called and answers the same module after. */
export function lazyRequire<T>(id: string): () => T {
  let module: T | undefined
  return () => (module ??= requireModule(id) as T)
}
