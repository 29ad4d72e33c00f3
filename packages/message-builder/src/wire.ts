import { InvalidMessageFieldError } from './message.js'
import { type FieldRule, fieldProblem } from './rules.js'

/**
 * Shapes of the external API's request and response bodies, shared by jobs-client and the
 * sandbox so that the two always agree. Field names are the wire's own (`snake_case`). A real
 * server may send more fields than these; readers must ignore what they do not know.
 *
 * Where the public guides do not give a shape (session expiry, list items, reservation expiry,
 * status), these are this project's choices, documented in the protocol guide.
 *
 * @module
 */

/**
 * `POST /api/external/auth/session`, answer.
 *
 * @example
 * ```ts
 * import type { SessionResponse } from '@agentpmt-kit/message-builder'
 *
 * const session: SessionResponse = { session_nonce: 'n', expires_in: 900, expires_at: '2026-01-01T00:15:00.000Z' }
 * ```
 */
export type SessionResponse = {
  session_nonce: string
  /** Seconds until the nonce expires. */
  expires_in: number
  /** ISO-8601 UTC. */
  expires_at: string
}

/**
 * The kinds of job the service funds.
 *
 * @example
 * ```ts
 * import type { JobType } from '@agentpmt-kit/message-builder'
 *
 * const type: JobType = 'social_share'
 * ```
 */
export type JobType = 'social_share' | 'workflow_creation'

/**
 * Where a job stands: `open` to anyone, `reserved` by one wallet, `submitted` with proof under
 * verification, `completed` once verified (credits granted).
 *
 * @example
 * ```ts
 * import type { JobState } from '@agentpmt-kit/message-builder'
 *
 * const state: JobState = 'submitted'
 * ```
 */
export type JobState = 'open' | 'reserved' | 'submitted' | 'completed'

/**
 * Where the verification of a submission stands; the last four are final, except
 * `transient_error`, after which the verifier tries again.
 *
 * @example
 * ```ts
 * import type { VerificationStatus } from '@agentpmt-kit/message-builder'
 *
 * const status: VerificationStatus = 'verified'
 * ```
 */
export type VerificationStatus =
  | 'queued'
  | 'running'
  | 'verified'
  | 'rejected'
  | 'transient_error'
  | 'needs_human'

/**
 * One open job in `POST /api/external/jobs/list`.
 *
 * @example
 * ```ts
 * import type { JobListItem } from '@agentpmt-kit/message-builder'
 *
 * const job: JobListItem = { job_id: 'job_1', job_type: 'social_share', title: 'Share on LinkedIn', reward_credits: 25, platform: 'linkedin' }
 * ```
 */
export type JobListItem = {
  job_id: string
  job_type: JobType
  title: string
  reward_credits: number
  /** The social platform of a `social_share` job. */
  platform?: string | undefined
}

/**
 * `POST /api/external/jobs/list`, answer: one page of open jobs.
 *
 * @example
 * ```ts
 * import type { JobListResponse } from '@agentpmt-kit/message-builder'
 *
 * const page: JobListResponse = { jobs: [], total: 0, limit: 50, skip: 0 }
 * ```
 */
export type JobListResponse = { jobs: JobListItem[]; total: number; limit: number; skip: number }

/**
 * `POST /api/external/jobs/{jobId}/reserve`, answer.
 *
 * @example
 * ```ts
 * import type { ReserveResponse } from '@agentpmt-kit/message-builder'
 *
 * declare const reservation: ReserveResponse
 * const trackedUrl = reservation.job.social_share?.tracking_links[0]
 * ```
 */
export type ReserveResponse = {
  reservation_id: string
  job_id: string
  /** ISO-8601 UTC; the reservation is exclusive until then. */
  expires_at: string
  /** Private instructions for this job. */
  instructions: string
  job: JobListItem & {
    social_share?: { platform: string; tracking_links: string[] } | undefined
  }
  /** For `workflow_creation` jobs: a token for this job's workflow endpoints only. */
  workflow_access?: { access_token: string; expires_at: string } | undefined
}

/**
 * One post in the proof of a social-share job.
 *
 * @example
 * ```ts
 * import type { SocialPost } from '@agentpmt-kit/message-builder'
 *
 * const post: SocialPost = {
 *   platform: 'linkedin',
 *   post_url: 'https://www.linkedin.com/feed/update/urn:li:activity:123',
 *   target_url_used: 'https://www.agentpmt.com/x?utm_source=linkedin',
 *   message_text: 'Paid AgentPMT share: ...',
 *   posted_at: '2026-05-17T14:30:00Z',
 * }
 * ```
 */
export type SocialPost = {
  platform: string
  post_url: string
  /** Exactly the tracked URL of the reservation. */
  target_url_used: string
  message_text: string
  /** ISO-8601. */
  posted_at: string
}

/**
 * The payload of `POST /api/external/jobs/{jobId}/complete`: hashed exactly as sent.
 *
 * @example
 * ```ts
 * import type { CompletionPayload } from '@agentpmt-kit/message-builder'
 *
 * const completion: CompletionPayload = { proof_text: 'Published the workflow.', reservation_id: 'res_1', workflow_id: 'wf_1' }
 * ```
 */
export type CompletionPayload = {
  proof_text: string
  reservation_id: string
  /** Social-share jobs: exactly one post. */
  social_posts?: SocialPost[] | undefined
  /** Workflow jobs: the published workflow. */
  workflow_id?: string | undefined
}

/**
 * A submission and its verification.
 *
 * @example
 * ```ts
 * import type { Submission } from '@agentpmt-kit/message-builder'
 *
 * declare const submission: Submission
 * submission.verification.status // 'queued' | 'running' | ...
 * ```
 */
export type Submission = {
  submission_id: string
  reservation_id: string
  /** ISO-8601 UTC. */
  submitted_at: string
  verification: {
    status: VerificationStatus
    /** ISO-8601 UTC of the last change. */
    updated_at: string
    /** Why a submission was rejected or needs a human, when known. */
    reason?: string | undefined
  }
}

/**
 * `POST /api/external/jobs/{jobId}/complete`, answer.
 *
 * @example
 * ```ts
 * import type { CompleteResponse } from '@agentpmt-kit/message-builder'
 *
 * declare const response: CompleteResponse
 * response.status // 'submitted'
 * ```
 */
export type CompleteResponse = { job_id: string; status: 'submitted'; submission: Submission }

/**
 * `POST /api/external/jobs/{jobId}/status`, answer, as seen by the calling wallet: its own
 * reservation and submission, `null` when it has none.
 *
 * @example
 * ```ts
 * import type { JobStatusResponse } from '@agentpmt-kit/message-builder'
 *
 * declare const status: JobStatusResponse
 * status.submission?.verification.status
 * ```
 */
export type JobStatusResponse = {
  job_id: string
  status: JobState
  reservation: {
    reservation_id: string
    expires_at: string
    /** `active` until completed or expired. */
    state: ReservationState
  } | null
  submission: Submission | null
}

/**
 * Where a reservation stands: `active` (exclusive, not yet completed), `submitted` (completed with
 * proof) or `expired` (the window passed; the job was freed).
 *
 * @example
 * ```ts
 * import type { ReservationState } from '@agentpmt-kit/message-builder'
 *
 * const state: ReservationState = 'active'
 * ```
 */
export type ReservationState = 'active' | 'submitted' | 'expired'

/**
 * Answer of a tool invoke (`POST /api/external/tools/{productSlug}/actions/{actionSlug}/invoke`):
 * this project's shape, as the public guides do not give one.
 *
 * @example
 * ```ts
 * import type { ToolInvokeResponse } from '@agentpmt-kit/message-builder'
 *
 * const answer: ToolInvokeResponse = { product_slug: 'echo', action_slug: 'echo', result: { hi: 1 }, credits_charged: 1, credits_remaining: 99 }
 * ```
 */
export type ToolInvokeResponse = {
  product_slug: string
  action_slug: string
  result: unknown
  credits_charged: number
  credits_remaining: number
}

/**
 * The body of `POST /api/external/jobs/{jobId}/workflow/create`.
 *
 * @example
 * ```ts
 * import type { WorkflowDefinition } from '@agentpmt-kit/message-builder'
 *
 * const workflow: WorkflowDefinition = { name: 'Triage tickets', description: 'Creates and triages a ticket', nodes: [], edges: [] }
 * ```
 */
export type WorkflowDefinition = {
  name: string
  description: string
  nodes: unknown[]
  edges: unknown[]
}

/**
 * Answer of the workflow endpoints: the workflow and whether it is published.
 *
 * @example
 * ```ts
 * import type { WorkflowResponse } from '@agentpmt-kit/message-builder'
 *
 * const workflow: WorkflowResponse = { workflow_id: 'wf_1', job_id: 'job_1', status: 'published' }
 * ```
 */
export type WorkflowResponse = {
  workflow_id: string
  job_id: string
  status: 'draft' | 'published'
}

/**
 * `POST /api/external/credits/balance`, answer.
 *
 * @example
 * ```ts
 * import type { BalanceResponse } from '@agentpmt-kit/message-builder'
 *
 * const balance: BalanceResponse = { wallet_address: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', credits: 120 }
 * ```
 */
export type BalanceResponse = { wallet_address: string; credits: number }

/**
 * Every error body of the external API.
 *
 * @example
 * ```ts
 * import type { ErrorBody } from '@agentpmt-kit/message-builder'
 *
 * const body: ErrorBody = {
 *   error_code: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
 *   detail: 'The request_id was already used for this session.',
 *   details: { checklist: ['Generate a fresh request_id and sign again.'] },
 * }
 * ```
 */
export type ErrorBody = {
  error_code: string
  detail: string
  details: {
    checklist: string[]
    expected_message?: string | undefined
    expected_payload_hash?: string | undefined
    accepted_payload_hashes?: string[] | undefined
    accepted_path_candidates?: string[] | undefined
    expected_wallet?: string | undefined
    recovered_wallet?: string | undefined
    recovered_wallet_for_expected_message?: string | undefined
    payload_canonical_top_level_keys?: string[] | undefined
    [field: string]: unknown
  }
}

/**
 * The paths of the external API, relative to the base URL (`https://www.agentpmt.com`).
 * Path parameters are URL-encoded; an empty one, `.` or `..` (which a URL resolves into another
 * path) throws {@link InvalidMessageFieldError}.
 *
 * @example
 * ```ts
 * import { apiPaths } from '@agentpmt-kit/message-builder'
 *
 * apiPaths.reserve('job_1') // '/api/external/jobs/job_1/reserve'
 * ```
 */
export const apiPaths: {
  readonly session: string
  readonly list: string
  readonly balance: string
  reserve(jobId: string): string
  complete(jobId: string): string
  status(jobId: string): string
  workflowCreate(jobId: string): string
  workflowPublish(jobId: string, workflowId: string): string
  toolInvoke(productSlug: string, actionSlug: string): string
} = {
  session: '/api/external/auth/session',
  list: '/api/external/jobs/list',
  balance: '/api/external/credits/balance',
  reserve: (jobId) => `${jobPath(jobId)}/reserve`,
  complete: (jobId) => `${jobPath(jobId)}/complete`,
  status: (jobId) => `${jobPath(jobId)}/status`,
  workflowCreate: (jobId) => `${jobPath(jobId)}/workflow/create`,
  workflowPublish: (jobId, workflowId) =>
    `${jobPath(jobId)}/workflow/${segment('workflowId', workflowId)}/publish`,
  toolInvoke: (productSlug, actionSlug) =>
    `/api/external/tools/${segment('productSlug', productSlug)}/actions/${segment('actionSlug', actionSlug)}/invoke`,
}

function jobPath(jobId: string): string {
  return `/api/external/jobs/${segment('jobId', jobId, 'jobId')}`
}

/** One path parameter, URL-encoded; refused when the rule for it refuses it. */
function segment(name: string, value: unknown, rule: FieldRule = 'pathSegment'): string {
  const problem = fieldProblem(rule, value)
  if (problem !== undefined)
    throw new InvalidMessageFieldError({ field: name, reason: `must ${problem}` })
  return encodeURIComponent(value as string)
}

/**
 * The header that carries a workflow job's token, as `Bearer <access_token>`.
 *
 * @example
 * ```ts
 * import { workflowTokenHeader } from '@agentpmt-kit/message-builder'
 *
 * const headers = { [workflowTokenHeader]: 'Bearer token' }
 * ```
 */
export const workflowTokenHeader = 'X-Job-Workflow-Token'
