import { InvalidMessageFieldError } from './message.js'

const slugPattern = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/
const toolInvokePattern = /^\/external\/tools\/([^/]+)\/actions\/([^/]+)\/invoke$/

/**
 * The canonical signed path of a tool invoke: `/external/tools/{productSlug}/actions/{actionSlug}/invoke`.
 * Slugs are written as given; the server also accepts their canonical lower-case spelling.
 *
 * @example
 * ```ts
 * import { toolInvokePath } from '@agentpmt-kit/message-builder'
 *
 * toolInvokePath('web-search', 'search') // '/external/tools/web-search/actions/search/invoke'
 * ```
 */
export function toolInvokePath(productSlug: string, actionSlug: string): string {
  for (const [name, slug] of [
    ['productSlug', productSlug],
    ['actionSlug', actionSlug],
  ] as const)
    if (typeof slug !== 'string' || !slugPattern.test(slug))
      throw new InvalidMessageFieldError({
        field: name,
        reason: 'must be a URL slug (letters, digits, ".", "_", "~", "-")',
      })
  return `/external/tools/${productSlug}/actions/${actionSlug}/invoke`
}

/**
 * Every spelling of a signed path that the server accepts for the same endpoint: with and without
 * the `/api` prefix, with and without a trailing slash, and, for tool invokes, with the slugs as
 * given and in canonical lower case. The canonical spelling comes first.
 *
 * @example
 * ```ts
 * import { acceptedPathCandidates } from '@agentpmt-kit/message-builder'
 *
 * acceptedPathCandidates('/api/external/tools/Web-Search/actions/search/invoke/')
 * // ['/external/tools/web-search/actions/search/invoke', '/external/tools/web-search/actions/search/invoke/', ...]
 * ```
 */
export function acceptedPathCandidates(path: string): readonly string[] {
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new InvalidMessageFieldError({ field: 'path', reason: 'must be a path starting with /' })
  const base = stripVariants(path)
  const match = toolInvokePattern.exec(base)
  const spellings = match
    ? [
        toolInvokePath(match[1]!.toLowerCase(), match[2]!.toLowerCase()),
        toolInvokePath(match[1]!, match[2]!),
      ]
    : [base]
  const candidates = spellings.flatMap((spelling) => [
    spelling,
    `${spelling}/`,
    `/api${spelling}`,
    `/api${spelling}/`,
  ])
  return [...new Set(candidates)]
}

/**
 * The canonical spelling of a signed path: without `/api` or a trailing slash, and with
 * lower-case slugs for tool invokes. Two paths are the same endpoint when this is equal.
 *
 * @example
 * ```ts
 * import { canonicalPath } from '@agentpmt-kit/message-builder'
 *
 * canonicalPath('/api/external/tools/Acme/actions/Run/invoke/') // '/external/tools/acme/actions/run/invoke'
 * ```
 */
export function canonicalPath(path: string): string {
  return acceptedPathCandidates(path)[0]!
}

function stripVariants(path: string): string {
  let base = path.startsWith('/api/') ? path.slice(4) : path
  if (base.length > 1 && base.endsWith('/')) base = base.slice(0, -1)
  return base
}
