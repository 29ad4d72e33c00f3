import { defineConfig } from 'vitest/config'

/**
 * One config for every package: tests resolve sibling packages through their `@agentpmt-kit/source` export
 * condition, so no build is needed before `vitest`.
 */
export default defineConfig({
  resolve: { conditions: ['@agentpmt-kit/source'] },
  ssr: { resolve: { conditions: ['@agentpmt-kit/source'] } },
  test: {
    include: ['packages/*/src/**/*.{test,fuzz}.ts'],
    testTimeout: 60_000,
  },
})
