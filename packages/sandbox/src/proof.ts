/**
 * Problems with the proof of a social-share completion, one sentence each; empty when the proof
 * is accepted. Exactly one post, on the job's platform, linking exactly the tracked URL of the
 * reservation, with an `https` post URL and an ISO-8601 `posted_at`.
 *
 * @example
 * ```ts
 * import { socialProofProblems } from '@agentpmt-kit/sandbox'
 *
 * socialProofProblems([], { platform: 'x', trackedUrl: 'https://www.agentpmt.com/?utm_source=x' })
 * // ['social_posts must hold exactly one post, got 0.']
 * ```
 */
export function socialProofProblems(
  posts: readonly unknown[],
  expected: { platform: string; trackedUrl: string },
): string[] {
  if (posts.length !== 1) return [`social_posts must hold exactly one post, got ${posts.length}.`]
  const post = posts[0]
  if (typeof post !== 'object' || post === null || Array.isArray(post))
    return ['social_posts[0] must be an object.']
  const fields = post as Record<string, unknown>
  const problems: string[] = []
  for (const name of ['platform', 'post_url', 'target_url_used', 'message_text', 'posted_at'])
    if (typeof fields[name] !== 'string' || fields[name] === '')
      problems.push(`social_posts[0].${name} must be a non-empty string.`)
  if (problems.length > 0) return problems
  const { platform, post_url, target_url_used, posted_at } = fields as {
    platform: string
    post_url: string
    target_url_used: string
    posted_at: string
  }
  if (platform.toLowerCase() !== expected.platform)
    problems.push(`social_posts[0].platform must be "${expected.platform}", got "${platform}".`)
  if (target_url_used !== expected.trackedUrl)
    problems.push(
      'social_posts[0].target_url_used must equal the tracked URL issued with the reservation, exactly.',
    )
  if (!isHttpsUrl(post_url)) problems.push('social_posts[0].post_url must be an https URL.')
  if (!isIsoDateTime(posted_at))
    problems.push(
      'social_posts[0].posted_at must be an ISO-8601 date-time, e.g. 2026-05-17T14:30:00Z.',
    )
  return problems
}

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'https:' && url.hostname !== ''
  } catch {
    return false
  }
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/

function isIsoDateTime(text: string): boolean {
  return isoDateTime.test(text) && !Number.isNaN(Date.parse(text))
}
