import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/renderer/**/*.test.ts',
    ],
    environment: 'node',
    // Keys are made by openssl and PBKDF2 runs 600,000 iterations: give slow steps room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
