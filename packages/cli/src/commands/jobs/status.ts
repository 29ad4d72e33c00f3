import type { StatusAnswer } from '@agentpmt-kit/jobs-client'
import type { Command } from 'commander'
import type { Context } from '../../context.js'
import { ExitError } from '../../exit.js'
import { outputFor } from '../../output.js'
import { type JobsCommonOptions, openClient, withJobsOptions } from './client.js'
import { withNextCommand } from './notFound.js'

/**
 * `agentpmt jobs status <jobId> [--wait]`: this wallet's view of a job; with `--wait`, follows
 * the verification (a live line on a terminal) until it is final, and exits 1 unless verified.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { jobsStatusCommand } from './status.js'
 *
 * declare const context: Parameters<typeof jobsStatusCommand>[1]
 * jobsStatusCommand(new Command('jobs'), context)
 * ```
 */
export function jobsStatusCommand(jobs: Command, context: Context): Command {
  return withJobsOptions(
    jobs
      .command('status')
      .description("This wallet's reservation and submission of a job.")
      .argument('<jobId>', 'the job')
      .option('--wait', 'wait until the verification is verified, rejected or needs_human'),
  )
    .addHelpText('after', '\nExample:\n  agentpmt jobs status job_share_linkedin --wait')
    .action(async (jobId: string, options: JobsCommonOptions & { wait?: boolean }) => {
      const client = await openClient(context, options)
      const output = outputFor(context, options)
      if (!options.wait) {
        const status = await client.status(jobId).catch((error: unknown) => {
          throw withNextCommand(error, jobId)
        })
        output.result(status, () => describe(status))
        return
      }
      const final = await client
        .waitForVerification(jobId, {
          onUpdate: (status) =>
            output.wait(`verification: ${status.submission?.verification.status ?? 'none'}`),
        })
        .catch((error: unknown) => {
          throw withNextCommand(error, jobId)
        })
      output.endStatus()
      output.result(final, () => describe(final))
      if (final.submission.verification.status !== 'verified')
        throw new ExitError(1, 'The submission was not verified.')
    })
}

function describe(status: StatusAnswer): string {
  const lines = [`${status.job_id}: ${status.status ?? 'state not given'}`]
  if (status.reservation?.reservation_id !== undefined)
    lines.push(
      `reservation ${status.reservation.reservation_id}, until ${status.reservation.expires_at ?? '?'}`,
    )
  if (status.submission) {
    const { verification } = status.submission
    lines.push(
      `submission ${status.submission.submission_id ?? '?'}: ${verification.status}${verification.updated_at ? ` (${verification.updated_at})` : ''}${verification.reason ? `: ${verification.reason}` : ''}`,
    )
  }
  return lines.join('\n')
}
