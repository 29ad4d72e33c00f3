import { ConflictError, JobAlreadyReservedError } from '@agentpmt-kit/error-recovery'
import { CompletionAlreadySentError, type JobsClient } from '@agentpmt-kit/jobs-client'
import { ExitError, exitCodes } from '../../exit.js'
import { errorLine, type Output } from '../../output.js'
import { listCommand } from './notFound.js'

/**
 * Exit code 3 of the `jobs` commands ({@link exitCodes}.unknown): a submission of this wallet
 * exists whose verdict this command did not learn; `agentpmt jobs status <jobId> --wait`
 * follows it.
 *
 * @example
 * ```ts
 * import { ExitError } from '../../exit.js'
 * import { followStatusExitCode } from './conflict.js'
 *
 * throw new ExitError(followStatusExitCode, 'The outcome of the job is unknown.')
 * ```
 */
export const followStatusExitCode = 3

/**
 * The command that follows a job's verification to its end.
 *
 * @example
 * ```ts
 * import { followCommand } from './conflict.js'
 *
 * followCommand('job_share_x') // 'agentpmt jobs status job_share_x --wait'
 * ```
 */
export function followCommand(jobId: string): string {
  return `agentpmt jobs status ${jobId} --wait`
}

/**
 * Whether an error says the job has moved on: a 409 of the server (error-recovery's
 * `JobAlreadySubmittedError`, `JobAlreadyReservedError` or any `ConflictError` with status 409),
 * or the client's `CompletionAlreadySentError` (not one that is only in progress).
 *
 * @example
 * ```ts
 * import { isJobConflict } from './conflict.js'
 *
 * isJobConflict(new Error('boom')) // false
 * ```
 */
export function isJobConflict(error: unknown): boolean {
  if (error instanceof CompletionAlreadySentError) return error.reason !== 'in-progress'
  return error instanceof ConflictError && error.status === 409
}

/**
 * Answers a conflict from the server's record of the job: when this wallet holds a submission
 * it says so and names the next command (exit 3); otherwise the submission or reservation is
 * another wallet's (or cannot be told) and nothing can be done for the job (exit 6, conflict). Always
 * throws an {@link ExitError}, after printing its answer (JSON with `--json`).
 *
 * @example
 * ```ts
 * import type { JobsClient } from '@agentpmt-kit/jobs-client'
 * import type { Output } from '../../output.js'
 * import { explainConflict, isJobConflict } from './conflict.js'
 *
 * declare const output: Output
 * declare const client: JobsClient
 * try {
 *   await client.reserve('job_share_x')
 * } catch (error) {
 *   if (isJobConflict(error)) await explainConflict(output, client, 'job_share_x', error)
 *   throw error
 * }
 * ```
 */
export async function explainConflict(
  output: Output,
  client: JobsClient,
  jobId: string,
  error: unknown,
): Promise<never> {
  let held: Awaited<ReturnType<JobsClient['status']>>['submission']
  let unreadable: unknown
  try {
    held = (await client.status(jobId)).submission
  } catch (statusError) {
    unreadable = statusError
  }
  if (held === undefined && error instanceof CompletionAlreadySentError) held = error.submission
  const conflict = errorLine(error).replace(/^error: /, '')
  if (held !== undefined) {
    const verification = held.verification.status
    output.result(
      {
        job_id: jobId,
        outcome: 'already_submitted',
        submitted_by: 'this_wallet',
        verification,
        submission_id: held.submission_id ?? null,
        next: followCommand(jobId),
        conflict,
      },
      () =>
        [
          `This wallet already submitted proof for ${jobId}: verification ${verification}.`,
          `Follow it with: ${followCommand(jobId)}`,
        ].join('\n'),
    )
    throw new ExitError(followStatusExitCode, 'This wallet already submitted proof.')
  }
  const reserved = error instanceof JobAlreadyReservedError
  const whose =
    unreadable !== undefined
      ? `whose ${reserved ? 'reservation' : 'submission'} it is cannot be told (the job status could not be read: ${errorLine(unreadable).replace(/^error: /, '')})`
      : reserved
        ? 'another wallet holds its reservation'
        : 'the submission belongs to another wallet'
  output.result(
    {
      job_id: jobId,
      outcome: reserved ? 'reserved_elsewhere' : 'submitted_elsewhere',
      submitted_by: unreadable !== undefined ? 'unknown' : 'another_wallet',
      next: listCommand,
      conflict,
    },
    () =>
      [
        conflict,
        `This wallet holds no submission for ${jobId}: ${whose}. Nothing can be done for this job${reserved ? ' while that reservation lasts' : ''}.`,
        `Pick another job: ${listCommand}`,
      ].join('\n'),
  )
  throw new ExitError(exitCodes.conflict, 'The job is taken.')
}
