import { writeFile } from 'node:fs/promises'
import type { Reservation } from '@agentpmt-kit/jobs-client'
import type { Command } from 'commander'
import type { Context } from '../../context.js'
import { checkWritable } from '../../input.js'
import { outputFor, WriteError } from '../../output.js'
import { type JobsCommonOptions, openClient, withJobsOptions } from './client.js'
import { explainConflict, isJobConflict } from './conflict.js'
import { withNextCommand } from './notFound.js'

/**
 * `agentpmt jobs reserve <jobId> [--save <file>]`: reserves a job for this wallet. `--save`
 * writes the reservation for `jobs complete`. A job already submitted is answered from its
 * status: this wallet's own submission (exit 3, follow it with `jobs status <jobId> --wait`) or
 * another wallet's (exit 1). The workflow token of a workflow job is never
 * printed or saved: do workflow jobs in one process with `jobs run --workflow`.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { jobsReserveCommand } from './reserve.js'
 *
 * declare const context: Parameters<typeof jobsReserveCommand>[1]
 * jobsReserveCommand(new Command('jobs'), context)
 * ```
 */
export function jobsReserveCommand(jobs: Command, context: Context): Command {
  return withJobsOptions(
    jobs
      .command('reserve')
      .description('Reserve a job for this wallet.')
      .argument('<jobId>', 'the job to reserve')
      .option('--save <file>', 'write the reservation to a file, for jobs complete'),
  )
    .addHelpText(
      'after',
      '\nExample:\n  agentpmt jobs reserve job_share_linkedin --save reservation.json',
    )
    .action(async (jobId: string, options: JobsCommonOptions & { save?: string }) => {
      // Checked first: a reservation whose file cannot be written would hold the job for nothing.
      if (options.save !== undefined) await checkWritable(options.save)
      const client = await openClient(context, options)
      const output = outputFor(context, options)
      let reservation: Reservation
      try {
        reservation = await client.reserve(jobId)
      } catch (error) {
        if (isJobConflict(error)) await explainConflict(output, client, jobId, error)
        throw withNextCommand(error, jobId)
      }
      // JSON of a reservation holds its wire fields only: the token and signal are not enumerable.
      const saved = JSON.parse(JSON.stringify(reservation)) as Record<string, unknown>
      if (options.save !== undefined)
        try {
          await writeFile(options.save, `${JSON.stringify(saved, null, 2)}\n`)
        } catch (cause) {
          output.result(saved, () => describe(reservation, undefined))
          throw new WriteError(`The reservation above could not be saved to ${options.save}.`, {
            cause,
          })
        }
      output.result(saved, () => describe(reservation, options.save))
    })
}

function describe(reservation: Reservation, saved: string | undefined): string {
  const lines = [
    `reserved ${reservation.job_id}: reservation ${reservation.reservation_id}`,
    `expires  ${reservation.expires_at}`,
  ]
  if (reservation.trackedUrl) lines.push(`tracked URL ${reservation.trackedUrl}`)
  lines.push('', reservation.instructions ?? '(the answer had no instructions)')
  if (reservation.jobKind === 'workflow_creation')
    lines.push(
      '',
      'The workflow token is kept in memory only: complete workflow jobs with',
      `  agentpmt jobs run ${reservation.job_id} --workflow workflow.json`,
    )
  if (saved !== undefined) lines.push('', `saved to ${saved}`)
  return lines.join('\n')
}
