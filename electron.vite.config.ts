import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { withCspMetaTag } from './main/security/csp'

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        input: {
          index: resolve('main/index.ts'),
          cli: resolve('main/cli/main.ts'),
          // The worker threads (main/worker-script.ts finds them here): a CSV import's, and the one
          // that decrypts a key given with a passphrase.
          'csv-import-worker': resolve('main/tenants/import-worker.ts'),
          'key-worker': resolve('main/vault/key-worker.ts'),
          'opening-markup': resolve('renderer/src/opening-markup.tsx'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but 'electron'; it imports no other package (it
      // lists method names from preload/methods.ts, not the zod schemas of the contract).
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        // Sandboxed preload scripts must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: {
      // electron-vite leaves bundles unminified by default; the renderer is what the window parses.
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
    plugins: [
      react(),
      { name: 'axm-csp-meta', apply: 'build', transformIndexHtml: (html) => withCspMetaTag(html) },
    ],
  },
})
