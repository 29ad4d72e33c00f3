import { BaseError } from '@agentpmt-kit/canonical-json'
import {
  type CompletionPayload,
  type ProofIssue,
  type SocialPost,
  socialPostIssues,
} from '@agentpmt-kit/message-builder'
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
  // A reservation whose kind the server did not tell is completed as the proof says.
  const kind =
    reservation.jobKind ??
    (record.social_posts !== undefined ? 'social_share' : 'workflow_creation')
  const payload: CompletionPayload =
    kind === 'social_share'
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
  const postIssues = socialPostIssues(proof.social_posts, {
    platform: reservation.platform,
    trackedUrl: reservation.trackedUrl,
  })
  issues.push(...postIssues)
  if (postIssues.length > 0) return []
  const [post] = proof.social_posts as [SocialPost]
  return [
    {
      platform: post.platform,
      post_url: post.post_url,
      target_url_used: post.target_url_used,
      message_text: post.message_text,
      posted_at: post.posted_at,
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
