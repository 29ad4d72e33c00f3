import { readdirSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

const packages = readdirSync(new URL('./packages', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

/**
 * Packages whose test files each get a fresh module graph: the CLI's and the conformance
 * package's files set process-wide state (the time zone, child processes of a built binary).
 */
const isolatedPackages = ['cli', 'conformance']

/**
 * One vitest process over every package, one project each (`--project canonical-json`), so the
 * module graph is built once. Tests resolve sibling packages through their `@agentpmt-kit/source`
 * export condition, so no build is needed, except by the CLI's tests that run the built binary (most
 * run the command line in their own process, through the same `run()`: packages/cli/test/harness.ts).
 * Four workers on two cores: the end-to-end files mostly wait on sockets, child processes and
 * timers, and run beside the CPU-bound ones. Outside `isolatedPackages`, a worker runs many files
 * in one module graph (`isolate: false`): each file would otherwise import viem, the sandbox and
 * its package again (a quarter less CPU for the five smallest packages' tests, measured).
 */
export default defineConfig({
  resolve: { conditions: ['@agentpmt-kit/source'] },
  ssr: { resolve: { conditions: ['@agentpmt-kit/source'] } },
  test: {
    testTimeout: 60_000,
    maxWorkers: 4,
    projects: packages.map((name) => ({
      extends: true,
      test: {
        name,
        include: [`packages/${name}/src/**/*.{test,fuzz}.ts`],
        isolate: isolatedPackages.includes(name),
      },
    })),
  },
})
