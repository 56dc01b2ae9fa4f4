#!/usr/bin/env node
// Runs the built CLI (npm run build); from a source checkout without a build, runs the TypeScript
// through tsx, so `npx axm-credentials` works either way.
import { existsSync } from 'node:fs'
import module from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

// V8 keeps the compiled code of the CLI's modules on disk (in the OS temp folder), so a start
// parses no module it has parsed before. Node 22.1 has it; NODE_DISABLE_COMPILE_CACHE turns it off.
module.enableCompileCache?.()

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const built = join(root, 'out', 'main', 'cli.js')
if (existsSync(built)) {
  await import(pathToFileURL(built).href)
} else {
  await import('tsx/esm')
  await import(pathToFileURL(join(root, 'main', 'cli', 'main.ts')).href)
}
