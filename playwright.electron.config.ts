import { defineConfig } from '@playwright/test'

// The real Electron app, for machines that have the Electron binary (not part of `npm test`:
// this project's CI machines cannot download Electron).
export default defineConfig({
  testDir: 'test/electron',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
})
