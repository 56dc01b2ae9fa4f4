// Loaded with `node --import` before the BUILT CLI: records every module the run loads, and writes
// the list to AXM_MODULE_LOG as it exits. A chunk of the build counts as the source modules it
// holds (the bundler marks each with a `// main/…/x.ts` line), so a package bundled into a chunk
// (zod) is seen as well as one loaded from node_modules.
import { registerHooks } from 'node:module'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { relative } from 'node:path'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const MODULE_MARK = /^\/\/ ((?:main|preload|node_modules)\/\S+\.[cm]?[jt]s)$/gm
const loaded = new Set<string>()

registerHooks({
  load(url, context, nextLoad) {
    const result = nextLoad(url, context)
    if (url.startsWith('node:')) loaded.add(url)
    else if (url.startsWith('file:')) {
      const path = relative(root, fileURLToPath(url)).replaceAll('\\', '/')
      if (path.startsWith('out/')) {
        const source = String(result.source ?? '')
        for (const [, module] of source.matchAll(MODULE_MARK)) loaded.add(module as string)
      } else {
        loaded.add(path)
      }
    }
    return result
  },
})

process.on('exit', () => {
  const log = process.env.AXM_MODULE_LOG
  if (log) writeFileSync(log, JSON.stringify([...loaded].sort()))
})
