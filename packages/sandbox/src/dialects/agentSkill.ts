import { isObject, pick, successBody } from './json.js'
import type { Dialect, DialectContext, JsonObject } from './types.js'

/** The job statuses of the agent skill (`open`, `reserved`, `submitted`, `approved`, ...). */
const jobStatus: Record<string, string> = { completed: 'approved' }

/** A submission's own status in the skill, from its verification status. */
function submissionStatus(verification: unknown): string {
  if (verification === 'verified') return 'approved'
  if (verification === 'rejected') return 'rejected'
  if (verification === 'needs_human') return 'pending_review'
  return 'pending'
}

function verificationOf(submission: JsonObject): JsonObject {
  return isObject(submission.verification) ? submission.verification : {}
}

function reserve(body: JsonObject): JsonObject {
  const job = isObject(body.job) ? body.job : {}
  return {
    message: 'Job reserved. Complete it before reserved_until.',
    job: {
      job_id: body.job_id ?? job.job_id,
      title: job.title,
      job_instructions: body.instructions,
      reservation_id: body.reservation_id,
      reserved_until: body.expires_at,
      reward_credits: job.reward_credits,
      status: 'reserved',
      job_type: job.job_type,
      ...('social_share' in job ? { social_share: job.social_share } : {}),
    },
    ...('workflow_access' in body ? { workflow_access: body.workflow_access } : {}),
  }
}

function complete(body: JsonObject, request: JsonObject | undefined): JsonObject {
  const submission = isObject(body.submission) ? body.submission : {}
  const { status } = verificationOf(submission)
  return {
    message: 'Submission received; it is being verified.',
    job: { status: body.status },
    submission: {
      submission_id: submission.submission_id,
      status: submissionStatus(status),
      proof_text: request?.proof_text ?? null,
      verification: { status },
    },
  }
}

function status(body: JsonObject, context: DialectContext): JsonObject {
  const wallet = String(context.request?.wallet_address ?? '').toLowerCase()
  const reservation = isObject(body.reservation) ? body.reservation : undefined
  const submission = isObject(body.submission) ? body.submission : undefined
  const verification = submission ? verificationOf(submission) : {}
  const active = reservation?.state === 'active'
  const paid = verification.status === 'verified'
  const job = context.jobs.find((entry) => entry.jobId === body.job_id)
  return {
    wallet_address: wallet,
    job: { job_id: body.job_id, status: jobStatus[String(body.status)] ?? body.status },
    has_active_reservation: active,
    can_submit: active && !submission,
    submission: submission
      ? {
          submission_id: submission.submission_id,
          status: submissionStatus(verification.status),
          reservation_id: submission.reservation_id,
          verification: pick(verification, ['status', 'updated_at']),
        }
      : null,
    payout: {
      status: paid ? 'paid' : submission ? 'pending' : 'none',
      reward_credits: job?.rewardCredits ?? null,
      paid_at: paid ? (verification.updated_at ?? null) : null,
      wallet_balance_credits: context.balance(wallet),
    },
  }
}

/**
 * `agent-skill`: the answers of AgentPMT's published agent skill for jobs (PROTOCOL section 6):
 * reservation fields inside `job` (`reserved_until`, `job_instructions`), a `message` on reserve
 * and complete, the skill's status body with `payout`, a list with `jobs` only, a session with
 * `expires_at` only.
 */
export const agentSkill: Dialect = {
  readsRequest: ['complete', 'status'],
  rewrite(answer, context) {
    const body = successBody(answer)
    if (!body) return answer
    switch (context.route) {
      case 'session':
        return { ...answer, body: pick(body, ['session_nonce', 'expires_at']) }
      case 'list':
        return { ...answer, body: pick(body, ['jobs']) }
      case 'reserve':
        return 'reservation_id' in body ? { ...answer, body: reserve(body) } : answer
      case 'complete':
        return { ...answer, body: complete(body, context.request) }
      case 'status':
        return { ...answer, body: status(body, context) }
      default:
        return answer
    }
  },
}
