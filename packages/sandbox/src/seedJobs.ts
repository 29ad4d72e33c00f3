import type { JobType, VerificationStatus } from '@agentpmt-kit/message-builder'

/**
 * How the sandbox's verifier ends a submission. `transient_error` is not final: the verifier
 * tries again and the submission ends `verified`.
 *
 * @example
 * ```ts
 * import type { VerificationOutcome } from '@agentpmt-kit/sandbox'
 *
 * const outcome: VerificationOutcome = 'needs_human'
 * ```
 */
export type VerificationOutcome = Extract<
  VerificationStatus,
  'verified' | 'rejected' | 'transient_error' | 'needs_human'
>

/**
 * A job the sandbox serves.
 *
 * @example
 * ```ts
 * import type { SandboxJob } from '@agentpmt-kit/sandbox'
 *
 * const job: SandboxJob = {
 *   jobId: 'job_share_mastodon',
 *   jobType: 'social_share',
 *   title: 'Share the workflow library on Mastodon',
 *   rewardCredits: 20,
 *   platform: 'mastodon',
 *   targetUrl: 'https://www.agentpmt.com/agent-workflow-skills',
 *   instructions: 'Write one post in your own words and link the tracked URL.',
 * }
 * ```
 */
export type SandboxJob = {
  jobId: string
  jobType: JobType
  title: string
  rewardCredits: number
  /** Social-share jobs: the platform of the one post (lower case). */
  platform?: string | undefined
  /** Social-share jobs: the page to link; the sandbox adds the UTM parameters. */
  targetUrl?: string | undefined
  /** Private instructions, given at reserve time only. */
  instructions: string
  /** This job's verification outcome; overrides the sandbox-wide `verificationOutcome`. */
  verificationOutcome?: VerificationOutcome | undefined
}

const site = 'https://www.agentpmt.com'

function share(platform: string, title: string, path: string, reward: number): SandboxJob {
  return {
    jobId: `job_share_${platform}`,
    jobType: 'social_share',
    title,
    rewardCredits: reward,
    platform,
    targetUrl: `${site}${path}`,
    instructions: `Publish one public ${platform} post in your own words about the linked page. Use the tracked link exactly as issued, then submit the post URL as proof.`,
  }
}

/**
 * The jobs a sandbox serves unless `jobs` is given: five social-share jobs on different
 * platforms and two workflow-creation jobs.
 *
 * @example
 * ```ts
 * import { defaultJobs } from '@agentpmt-kit/sandbox'
 *
 * defaultJobs.map((job) => job.jobId)
 * // ['job_share_linkedin', 'job_share_x', 'job_share_reddit', 'job_share_facebook',
 * //  'job_share_bluesky', 'job_workflow_ticket_triage', 'job_workflow_invoice_digest']
 * ```
 */
export const defaultJobs: readonly SandboxJob[] = [
  share('linkedin', 'Share an AgentPMT workflow on LinkedIn', '/agent-workflow-skills/example', 25),
  share('x', 'Post about AgentPMT tools on X', '/marketplace', 15),
  share('reddit', 'Share the AgentPMT agent guide on Reddit', '/docs/autonomous-agents', 20),
  share('facebook', 'Share an AgentPMT product page on Facebook', '/products/web-search', 15),
  share('bluesky', 'Post about AgentPMT jobs on Bluesky', '/jobs', 10),
  {
    jobId: 'job_workflow_ticket_triage',
    jobType: 'workflow_creation',
    title: 'Build a support-ticket triage workflow',
    rewardCredits: 60,
    instructions:
      'Create a workflow that reads a new support ticket, classifies its urgency and routes it. Publish it, then complete the job with its workflow_id.',
  },
  {
    jobId: 'job_workflow_invoice_digest',
    jobType: 'workflow_creation',
    title: 'Build a weekly invoice digest workflow',
    rewardCredits: 45,
    instructions:
      'Create a workflow that collects the week’s invoices and sends one digest. Publish it, then complete the job with its workflow_id.',
  },
]
