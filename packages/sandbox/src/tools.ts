/**
 * A tool the sandbox serves at `POST /api/external/tools/{productSlug}/actions/{actionSlug}/invoke`.
 * `run` gets the invoke's `parameters` and returns the result, or a problem (answered 400, no
 * credits taken). Slugs are matched case-insensitively, as the service resolves them.
 *
 * @example
 * ```ts
 * import type { SandboxTool } from '@agentpmt-kit/sandbox'
 *
 * const upper: SandboxTool = {
 *   productSlug: 'text',
 *   actionSlug: 'upper',
 *   costCredits: 1,
 *   run: (parameters) =>
 *     typeof parameters.text === 'string'
 *       ? { result: parameters.text.toUpperCase() }
 *       : { problem: 'parameters.text must be a string.' },
 * }
 * ```
 */
export type SandboxTool = {
  productSlug: string
  actionSlug: string
  costCredits: number
  run(parameters: Readonly<Record<string, unknown>>): { result: unknown } | { problem: string }
}

/**
 * The tools a sandbox serves unless `tools` is given: `echo/echo` (returns the parameters, 1
 * credit) and `calculator/add` (adds `a` and `b`, 2 credits).
 *
 * @example
 * ```ts
 * import { defaultTools } from '@agentpmt-kit/sandbox'
 *
 * defaultTools.map((tool) => `${tool.productSlug}/${tool.actionSlug}`) // ['echo/echo', 'calculator/add']
 * ```
 */
export const defaultTools: readonly SandboxTool[] = [
  {
    productSlug: 'echo',
    actionSlug: 'echo',
    costCredits: 1,
    run: (parameters) => ({ result: parameters }),
  },
  {
    productSlug: 'calculator',
    actionSlug: 'add',
    costCredits: 2,
    run: ({ a, b }) =>
      typeof a === 'number' && typeof b === 'number'
        ? { result: a + b }
        : { problem: 'parameters.a and parameters.b must be numbers.' },
  },
]
