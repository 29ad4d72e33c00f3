/**
 * What `pnpm mutation` mutates, package by package: the files Stryker may mutate and the test files
 * that judge those mutants (each package's own tests; nothing else runs during a mutation run).
 */
export const targets = {
  'canonical-json': {
    packageName: '@agentpmt-kit/canonical-json',
    mutate: ['packages/canonical-json/src/**/*.ts'],
    tests: ['packages/canonical-json/src/**/*.{test,fuzz}.ts'],
  },
  'message-builder': {
    packageName: '@agentpmt-kit/message-builder',
    mutate: ['packages/message-builder/src/**/*.ts'],
    tests: ['packages/message-builder/src/**/*.{test,fuzz}.ts'],
  },
  conformance: {
    packageName: '@agentpmt-kit/conformance',
    // The judges: the vector cases, the client's scenario verdicts, the server check's verdicts.
    mutate: [
      'packages/conformance/src/cases.ts',
      'packages/conformance/src/judgeScenario.ts',
      'packages/conformance/src/checkClient.ts',
      'packages/conformance/src/checkServer.ts',
    ],
    // Only the in-process tests: the check-can-fail suites start real clients, adapters and
    // servers (minutes for each mutant on two cores), so they judge no mutant here.
    tests: [
      'packages/conformance/src/**/*.mutants.test.ts',
      'packages/conformance/src/encoderDefaults.test.ts',
    ],
  },
}

/** Files that are never mutated: tests, fuzz properties and type-only modules. */
export const neverMutated = ['!**/*.test.ts', '!**/*.fuzz.ts', '!**/*.d.ts']

/**
 * The target named by `MUTATION_TARGET`, failing with the known names when it is missing or unknown.
 */
export function currentTarget() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by scripts/mutation.mjs for Stryker, no turbo task reads it
  const name = process.env.MUTATION_TARGET
  const target = name === undefined ? undefined : targets[name]
  if (target === undefined) {
    throw new Error(
      `MUTATION_TARGET must be one of ${Object.keys(targets).join(', ')} (got ${String(name)})`,
    )
  }
  return { name, ...target }
}
