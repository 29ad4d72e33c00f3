import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import rootConfig from '../vitest.config.js'
import { currentTarget } from './targets.mjs'

const target = currentTarget()
const ownSources = fileURLToPath(
  new URL(`../packages/${target.name}/src/index.ts`, import.meta.url),
)
const escapedName = target.packageName.replace(/[/.-]/g, '\\$&')

/**
 * One package's tests for Stryker's vitest runner: the root config's module resolution, none of
 * its projects (every other package's tests, the CLI's build). The package's own name resolves to
 * this (sandboxed, mutated) copy of its sources, never to the original tree.
 */
export default defineConfig({
  resolve: {
    ...rootConfig.resolve,
    alias: [{ find: new RegExp(`^${escapedName}$`), replacement: ownSources }],
  },
  ssr: rootConfig.ssr,
  // Instrumented code counts every mutant it passes: the large-document tests need far longer.
  test: { include: target.tests, testTimeout: 600_000 },
})
