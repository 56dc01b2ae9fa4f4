// Module resolution hook: 'electron' is the stand-in; with AXM_WIRING_NO_LIBSECRET=1, keytar fails
// to load the way it does on a machine without libsecret (the dynamic linker's error).
import type { ResolveHook } from 'node:module'

const standIn = new URL('./stand-in.ts', import.meta.url).href
const missingLibsecret = `data:text/javascript,${encodeURIComponent(
  'throw new Error("libsecret-1.so.0: cannot open shared object file: No such file or directory")',
)}`

export const resolve: ResolveHook = (specifier, context, nextResolve) => {
  if (specifier === 'electron') return { url: standIn, shortCircuit: true }
  if (specifier === 'keytar' && process.env.AXM_WIRING_NO_LIBSECRET === '1') {
    return { url: missingLibsecret, shortCircuit: true }
  }
  return nextResolve(specifier, context)
}
