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
 * The root config narrowed to one package's tests, for Stryker's vitest runner. The package's own
 * name resolves to this (sandboxed, mutated) copy of its sources, never to the original tree.
 */
export default defineConfig({
  ...rootConfig,
  resolve: {
    ...rootConfig.resolve,
    alias: [{ find: new RegExp(`^${escapedName}$`), replacement: ownSources }],
  },
  // Instrumented code counts every mutant it passes: the large-document tests need far longer.
  test: { ...rootConfig.test, include: target.tests, testTimeout: 600_000 },
})
