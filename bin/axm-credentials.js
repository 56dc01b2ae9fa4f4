#!/usr/bin/env node
// Runs the built CLI (npm run build); from a source checkout without a build, runs the TypeScript
// through tsx, so `npx axm-credentials` works either way.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const built = join(root, 'out', 'main', 'cli.js')
if (existsSync(built)) {
  await import(pathToFileURL(built).href)
} else {
  await import('tsx/esm')
  await import(pathToFileURL(join(root, 'main', 'cli', 'main.ts')).href)
}
