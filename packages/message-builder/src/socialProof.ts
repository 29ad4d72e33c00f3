/**
 * One thing wrong with a completion proof: where (a path in the completion payload, such as
 * `social_posts[0].post_url`) and what.
 *
 * @example
 * ```ts
 * import type { ProofIssue } from '@agentpmt-kit/message-builder'
 *
 * const issue: ProofIssue = { path: 'social_posts[0].post_url', reason: 'must be an https URL' }
 * ```
 */
export type ProofIssue = { path: string; reason: string }

/** The fields of a post, in the order the guides list them. */
const postFields = ['platform', 'post_url', 'target_url_used', 'message_text', 'posted_at'] as const

const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/

/**
 * The rules a social-share proof must meet, shared by the client (checked before sending) and the
 * sandbox (checked on receipt), so the two can never disagree: exactly one post; every field a
 * non-empty string; `platform` exactly the job's; `target_url_used` exactly the tracked URL of
 * the reservation; `post_url` an https URL; `posted_at` an ISO-8601 date-time with a time zone.
 * Returns every issue found, empty when the posts are accepted.
 *
 * @example
 * ```ts
 * import { socialPostIssues } from '@agentpmt-kit/message-builder'
 *
 * socialPostIssues([], { platform: 'x', trackedUrl: 'https://www.agentpmt.com/?utm_source=x' })
 * // [{ path: 'social_posts', reason: 'must hold exactly one post, got 0' }]
 * ```
 */
export function socialPostIssues(
  posts: unknown,
  expected: { platform: string | undefined; trackedUrl: string | undefined },
): ProofIssue[] {
  if (!Array.isArray(posts) || posts.length !== 1)
    return [
      {
        path: 'social_posts',
        reason: `must hold exactly one post, got ${Array.isArray(posts) ? posts.length : 'none'}`,
      },
    ]
  const post: unknown = posts[0]
  if (typeof post !== 'object' || post === null || Array.isArray(post))
    return [{ path: 'social_posts[0]', reason: 'must be an object' }]
  const fields = post as Record<string, unknown>
  const at = (field: string): string => `social_posts[0].${field}`
  const issues: ProofIssue[] = postFields
    .filter((field) => typeof fields[field] !== 'string' || fields[field] === '')
    .map((field) => ({ path: at(field), reason: 'must be a non-empty string' }))
  const present = (field: (typeof postFields)[number]): string | undefined =>
    typeof fields[field] === 'string' && fields[field] !== '' ? fields[field] : undefined

  const platform = present('platform')
  if (platform !== undefined && expected.platform !== undefined && platform !== expected.platform)
    issues.push({
      path: at('platform'),
      reason: `must be the job's platform "${expected.platform}"`,
    })
  const targetUrl = present('target_url_used')
  if (expected.trackedUrl === undefined)
    issues.push({ path: at('target_url_used'), reason: 'no tracked URL was issued for this job' })
  else if (targetUrl !== undefined && targetUrl !== expected.trackedUrl)
    issues.push({
      path: at('target_url_used'),
      reason: 'must equal the tracked URL of the reservation exactly',
    })
  const postUrl = present('post_url')
  if (postUrl !== undefined && !isHttpsUrl(postUrl))
    issues.push({ path: at('post_url'), reason: 'must be an https URL' })
  const postedAt = present('posted_at')
  if (postedAt !== undefined && !isIsoDateTime(postedAt))
    issues.push({
      path: at('posted_at'),
      reason: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-05-17T14:30:00Z',
    })
  return issues
}

/**
 * Whether a text is an ISO-8601 date-time with a time zone (`Z` or `±hh:mm`), seconds and
 * fractions optional, on a real calendar date.
 *
 * @example
 * ```ts
 * import { isIsoDateTime } from '@agentpmt-kit/message-builder'
 *
 * isIsoDateTime('2026-05-17T14:30:00Z') // true
 * isIsoDateTime('2026-02-30T10:00:00Z') // false
 * ```
 */
export function isIsoDateTime(text: string): boolean {
  const match = isoDateTime.exec(text)
  if (match === null || Number.isNaN(Date.parse(text))) return false
  // Date.parse rolls 2026-02-30 over to March; the written date must be a real one.
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'https:' && url.hostname !== ''
  } catch {
    return false
  }
}
