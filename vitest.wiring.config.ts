import { defineConfig } from 'vitest/config'

// The Electron wiring: the BUILT main process and preload (`npm run build` first) run in Node with a
// stand-in for the 'electron' module. Kept apart from the other tests because it needs the build.
export default defineConfig({
  test: {
    include: ['test/wiring/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
