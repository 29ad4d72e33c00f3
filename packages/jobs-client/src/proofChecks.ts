import { BaseError } from '@agentpmt-kit/canonical-json'
import type { CompletionPayload, SocialPost } from '@agentpmt-kit/message-builder'
import type { Reservation } from './Reservation.js'

/**
 * What a worker hands back for a reserved job: the completion body without `reservation_id`,
 * which the client adds. A social-share job gives exactly one post; a workflow job gives the id of
 * the workflow it published.
 *
 * @example
 * ```ts
 * import type { CompletionProof } from '@agentpmt-kit/jobs-client'
 *
 * const proof: CompletionProof = {
 *   proof_text: 'Published the required AgentPMT social post.',
 *   social_posts: [
 *     {
 *       platform: 'linkedin',
 *       post_url: 'https://www.linkedin.com/feed/update/urn:li:activity:123',
 *       target_url_used: 'https://www.agentpmt.com/x?utm_source=linkedin&utm_medium=agent_social',
 *       message_text: 'Paid AgentPMT share: ...',
 *       posted_at: '2026-05-17T14:30:00Z',
 *     },
 *   ],
 * }
 * ```
 */
export type CompletionProof =
  | { proof_text: string; social_posts: readonly SocialPost[]; workflow_id?: undefined }
  | { proof_text: string; workflow_id: string; social_posts?: undefined }

/**
 * One thing wrong with a proof: where (a JSON path in the proof) and what.
 *
 * @example
 * ```ts
 * import type { ProofIssue } from '@agentpmt-kit/jobs-client'
 *
 * const issue: ProofIssue = { path: 'social_posts[0].post_url', reason: 'must be an https URL' }
 * ```
 */
export type ProofIssue = { path: string; reason: string }

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/

/**
 * Checks a proof against its reservation before anything is sent, and returns the completion
 * payload to sign and send (`reservation_id` added; for a post, only its five documented fields).
 * For a social-share job: exactly one post, `target_url_used` equal to the tracked URL,
 * `platform` the job's, `posted_at` an ISO-8601 date-time with a time zone, `post_url` https.
 * For a workflow job: a `workflow_id`. Throws {@link ProofCheckError} listing every problem.
 *
 * @example
 * ```ts
 * import { checkProof, type Reservation } from '@agentpmt-kit/jobs-client'
 *
 * declare const reservation: Reservation
 * const payload = checkProof(reservation, { proof_text: 'Published the workflow.', workflow_id: 'wf_1' })
 * payload.reservation_id === reservation.reservation_id // true
 * ```
 */
export function checkProof(reservation: Reservation, proof: CompletionProof): CompletionPayload {
  const issues: ProofIssue[] = []
  const record = (proof ?? {}) as Record<string, unknown>
  if (typeof record.proof_text !== 'string' || record.proof_text.trim() === '')
    issues.push({ path: 'proof_text', reason: 'must be a non-empty string' })
  const proofText = String(record.proof_text)
  const payload: CompletionPayload =
    reservation.job.job_type === 'social_share'
      ? {
          proof_text: proofText,
          reservation_id: reservation.reservation_id,
          social_posts: checkPosts(reservation, record, issues),
        }
      : {
          proof_text: proofText,
          reservation_id: reservation.reservation_id,
          workflow_id: checkWorkflowId(record, issues),
        }
  if (issues.length > 0) throw new ProofCheckError({ issues })
  return payload
}

function checkPosts(
  reservation: Reservation,
  proof: Record<string, unknown>,
  issues: ProofIssue[],
): SocialPost[] {
  if (proof.workflow_id !== undefined)
    issues.push({ path: 'workflow_id', reason: 'a social-share job takes social_posts only' })
  const posts = proof.social_posts
  if (!Array.isArray(posts) || posts.length !== 1) {
    issues.push({
      path: 'social_posts',
      reason: `must hold exactly one post, got ${Array.isArray(posts) ? posts.length : 'none'}`,
    })
    return []
  }
  const post = (posts[0] ?? {}) as Record<string, unknown>
  const at = (field: string): string => `social_posts[0].${field}`
  for (const field of ['platform', 'post_url', 'target_url_used', 'message_text', 'posted_at'])
    if (typeof post[field] !== 'string' || post[field] === '')
      issues.push({ path: at(field), reason: 'must be a non-empty string' })
  const platform = reservation.job.social_share?.platform ?? reservation.job.platform
  if (typeof post.platform === 'string' && platform !== undefined && post.platform !== platform)
    issues.push({ path: at('platform'), reason: `must be the job's platform "${platform}"` })
  if (reservation.trackedUrl === undefined)
    issues.push({ path: at('target_url_used'), reason: 'the reservation has no tracked URL' })
  else if (
    typeof post.target_url_used === 'string' &&
    post.target_url_used !== reservation.trackedUrl
  )
    issues.push({
      path: at('target_url_used'),
      reason: 'must equal the tracked URL of the reservation exactly',
    })
  if (typeof post.post_url === 'string' && post.post_url !== '' && !isHttpsUrl(post.post_url))
    issues.push({ path: at('post_url'), reason: 'must be an https URL' })
  if (typeof post.posted_at === 'string' && post.posted_at !== '' && !isIsoDateTime(post.posted_at))
    issues.push({
      path: at('posted_at'),
      reason: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-05-17T14:30:00Z',
    })
  return [
    {
      platform: String(post.platform),
      post_url: String(post.post_url),
      target_url_used: String(post.target_url_used),
      message_text: String(post.message_text),
      posted_at: String(post.posted_at),
    },
  ]
}

function checkWorkflowId(proof: Record<string, unknown>, issues: ProofIssue[]): string {
  if (proof.social_posts !== undefined)
    issues.push({ path: 'social_posts', reason: 'a workflow job takes workflow_id only' })
  if (typeof proof.workflow_id !== 'string' || proof.workflow_id === '')
    issues.push({ path: 'workflow_id', reason: 'must be the id of the published workflow' })
  return String(proof.workflow_id)
}

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'https:' && url.hostname !== ''
  } catch {
    return false
  }
}

function isIsoDateTime(text: string): boolean {
  if (!isoDateTime.test(text) || Number.isNaN(Date.parse(text))) return false
  // Date.parse rolls 2026-02-30 over to March; the written date must be a real one.
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/**
 * A proof that would be refused: the local checks found problems, nothing was sent. `issues`
 * names each one by its path in the proof.
 *
 * @example
 * ```ts
 * import { ProofCheckError } from '@agentpmt-kit/jobs-client'
 *
 * declare const error: unknown
 * if (error instanceof ProofCheckError) for (const issue of error.issues) console.log(issue.path, issue.reason)
 * ```
 */
export class ProofCheckError extends BaseError {
  override name = 'JobsClient.ProofCheckError'
  readonly issues: readonly ProofIssue[]
  constructor({ issues }: { issues: readonly ProofIssue[] }) {
    super('The proof would be refused; nothing was sent.', {
      metaMessages: issues.map((issue) => `- ${issue.path}: ${issue.reason}`),
      details: issues.map((issue) => `${issue.path} ${issue.reason}`).join('; '),
      docsPath: '/documents/Run_the_job_loop.html#proof',
    })
    this.issues = issues
  }
}
