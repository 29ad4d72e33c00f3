/**
 * A step from a container to one of its members: an object key or an array index.
 *
 * @example
 * ```ts
 * import type { PathSegment } from '@agentpmt-kit/canonical-json'
 *
 * const segments: PathSegment[] = ['social_posts', 0, 'posted_at'] // $.social_posts[0].posted_at
 * ```
 */
export type PathSegment = string | number

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** Writes segments as a JSONPath: `$.social_posts[0].posted_at`, `$["odd key"]`. */
export function formatJsonPath(segments: readonly PathSegment[]): string {
  let path = '$'
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`
    else if (identifier.test(segment)) path += `.${segment}`
    else path += `[${JSON.stringify(segment.isWellFormed() ? segment : segment.toWellFormed())}]`
  }
  return path
}

/** Shortens a very long path for a message, keeping its start and end. */
export function abbreviateJsonPath(segments: readonly PathSegment[]): string {
  if (segments.length <= 24) return formatJsonPath(segments)
  const head = formatJsonPath(segments.slice(0, 8))
  const tail = formatJsonPath(segments.slice(-8)).slice(1)
  return `${head}…(${(segments.length - 16).toLocaleString('en-US')} levels)…${tail}`
}
