import { currentTarget, neverMutated } from './targets.mjs'

const target = currentTarget()

/**
 * StrykerJS for one package (`MUTATION_TARGET`); `node scripts/mutation.mjs` runs every package
 * and writes QUALITY.md. Run from the repository root.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'mutation/vitest.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [...target.mutate, ...neverMutated],
  // The machine is shared: two workers at most, and the sandbox holds only what the tests read.
  concurrency: 2,
  timeoutMS: 10_000,
  dryRunTimeoutMinutes: 30,
  ignorePatterns: [
    '/*',
    '!/package.json',
    '!/tsconfig.base.json',
    '!/vitest.config.ts',
    '!/mutation',
    '!/vectors',
    '!/packages',
    // Only this package's files: others (resolved through node_modules) stay in the tree, and
    // their files, which other work may be changing, are never copied.
    '/packages/*',
    `!/packages/${target.name}`,
    `/packages/${target.name}/dist`,
  ],
  incremental: true,
  incrementalFile: `mutation/.cache/${target.name}.incremental.json`,
  tempDirName: `mutation/.cache/sandbox-${target.name}`,
  cleanTempDir: 'always',
  reporters: ['json', 'progress', 'clear-text'],
  jsonReporter: { fileName: `mutation/.cache/${target.name}.report.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
}
