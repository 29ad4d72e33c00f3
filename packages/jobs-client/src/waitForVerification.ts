import { BaseError } from '@agentpmt-kit/canonical-json'
import type { VerificationStatus } from '@agentpmt-kit/message-builder'
import type { StatusAnswer, SubmissionView } from './answers.js'
import type { Clock } from './Clock.js'
import { sleep } from './internal/sleep.js'

/**
 * The verification statuses that end the wait.
 *
 * @example
 * ```ts
 * import type { FinalVerificationStatus } from '@agentpmt-kit/jobs-client'
 *
 * const status: FinalVerificationStatus = 'needs_human'
 * ```
 */
export type FinalVerificationStatus = Extract<
  VerificationStatus,
  'verified' | 'rejected' | 'needs_human'
>

/**
 * Options of `client.waitForVerification`.
 *
 * @example
 * ```ts
 * import type { WaitForVerificationOptions } from '@agentpmt-kit/jobs-client'
 *
 * const options: WaitForVerificationOptions = {
 *   signal: AbortSignal.timeout(10 * 60_000),
 *   onUpdate: (status) => console.log(status.submission?.verification.status),
 * }
 * ```
 */
export type WaitForVerificationOptions = {
  /** Stops the wait; the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined
  /** Called with the job status each time the verification status changes. */
  onUpdate?: ((status: StatusAnswer) => void) | undefined
  /** First wait between two polls (the verifier often answers within a second). Default 500 ms. */
  intervalMs?: number | undefined
  /** Longest wait between two polls; each wait is 1.5 times the one before. Default 30 000 ms. */
  maxIntervalMs?: number | undefined
}

/**
 * A job status whose submission reached a final verification status.
 *
 * @example
 * ```ts
 * import type { VerifiedStatus } from '@agentpmt-kit/jobs-client'
 *
 * declare const status: VerifiedStatus
 * status.submission.verification.status // 'verified' | 'rejected' | 'needs_human'
 * ```
 */
export type VerifiedStatus = StatusAnswer & {
  submission: SubmissionView & {
    verification: { status: FinalVerificationStatus }
  }
}

const finalStatuses: readonly VerificationStatus[] = ['verified', 'rejected', 'needs_human']

/**
 * Polls `status` with a growing interval until the submission is `verified`, `rejected` or
 * `needs_human`; `queued`, `running` and `transient_error` (the verifier will try again) keep
 * the wait going.
 *
 * @internal
 */
export async function pollVerification(
  jobId: string,
  status: (signal: AbortSignal | undefined) => Promise<StatusAnswer>,
  clock: Clock,
  options: WaitForVerificationOptions = {},
): Promise<VerifiedStatus> {
  const { signal, onUpdate } = options
  const maxIntervalMs = options.maxIntervalMs ?? 30_000
  let intervalMs = options.intervalMs ?? 500
  let last: VerificationStatus | undefined
  for (;;) {
    if (signal?.aborted) throw signal.reason
    const current = await status(signal)
    if (current.submission === undefined) throw new NoSubmissionError({ jobId })
    const verification = current.submission.verification.status
    if (verification !== last) {
      last = verification
      onUpdate?.(current)
    }
    if (finalStatuses.includes(verification)) return current as VerifiedStatus
    await sleep(clock, intervalMs, signal)
    intervalMs = Math.min(maxIntervalMs, intervalMs * 1.5)
  }
}

/**
 * The job has no submission from this wallet, so there is no verification to wait for.
 *
 * @example
 * ```ts
 * import { NoSubmissionError } from '@agentpmt-kit/jobs-client'
 *
 * new NoSubmissionError({ jobId: 'job_1' }).name // 'JobsClient.NoSubmissionError'
 * ```
 */
export class NoSubmissionError extends BaseError {
  override name = 'JobsClient.NoSubmissionError'
  readonly jobId: string
  constructor({ jobId }: { jobId: string }) {
    super(`Job ${jobId} has no submission from this wallet to wait for.`, {
      docsPath: '/documents/Run_the_job_loop.html#verification',
    })
    this.jobId = jobId
  }
}
