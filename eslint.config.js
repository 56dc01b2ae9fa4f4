import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The schemas of preload/model and preload/contract are zod: a value imported from them
      // would ship zod in the renderer. Their types are free; the rules live in preload/rules.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['zod', '**/preload/model', '**/preload/contract'],
              allowTypeImports: true,
              message: 'Import types only; zod-free rules are in preload/rules.',
            },
          ],
        },
      ],
    },
  },
  {
    // The bench's page-side parts run in Chromium.
    files: ['bench/first-row-watch.js', 'bench/first-row-anchor/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The CLI and the benchmark talk to a terminal on purpose.
    files: ['main/cli/**', 'bench/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
)
