import { defineConfig } from 'vitest/config'

/**
 * One config for every package: tests resolve sibling packages through their `source` export
 * condition, so no build is needed before `vitest`.
 */
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.{test,fuzz}.ts'],
    testTimeout: 60_000,
  },
})
