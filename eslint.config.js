import neostandard from 'neostandard'

// neostandard as it is, except where this codebase already settled a style: named functions
// written `function name()`, several properties on each line of a long object literal, trailing
// commas in multi-line calls, and TypeBox's `const X = Type...; type X = Static<typeof X>` pairs
// (the compiler already refuses a real redeclaration).
export default [
  ...neostandard({
    ts: true,
    ignores: ['dist/**', 'coverage/**', '.ci/**', '.tap/**', 'public/**', 'drizzle/**', 'data/**', 'test/client/schema.d.ts'],
  }),
  {
    rules: {
      '@stylistic/space-before-function-paren': ['error', { anonymous: 'always', named: 'never', asyncArrow: 'always' }],
      '@stylistic/object-property-newline': 'off',
      '@stylistic/comma-dangle': ['error', {
        arrays: 'ignore', objects: 'ignore', imports: 'ignore', exports: 'ignore', enums: 'ignore', functions: 'only-multiline',
      }],
      '@typescript-eslint/no-redeclare': 'off',
      // `void promise` marks a promise deliberately not awaited.
      'no-void': ['error', { allowAsStatement: true }],
      // The loops this flags wait on a flag that a callback or another task clears
      // (`while (running) await ...`), which the rule cannot see.
      'no-unmodified-loop-condition': 'off',
      // A promise's resolver is named for what it waits for: `closed`, `ready`.
      'promise/param-names': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // `for (const _ of text) count++` counts code points without building an array.
      '@typescript-eslint/no-unused-vars': ['error', {
        args: 'none', caughtErrors: 'none', ignoreRestSiblings: true, vars: 'all', varsIgnorePattern: '^_$',
      }],
    },
  },
]
