import type {
  Completion,
  CompletionProof,
  JobsClient,
  Reservation,
} from '@agentpmt-kit/jobs-client'
import type { Command } from 'commander'
import type { Context } from '../../context.js'
import { InputError, readJsonObject } from '../../input.js'
import { outputFor } from '../../output.js'
import { type JobsCommonOptions, openClient, withJobsOptions } from './client.js'
import { explainConflict, isJobConflict } from './conflict.js'
import { withNextCommand } from './notFound.js'

/**
 * `agentpmt jobs complete --reservation <file> --proof <file>`: submits the proof of a reserved
 * job. The reservation file is the one `jobs reserve --save` (or `--json`) wrote; the proof is
 * `{ proof_text, social_posts: [post] }` or `{ proof_text, workflow_id }`, checked locally first.
 * A conflict is answered from the job's status: this wallet's own submission (exit 3, follow it
 * with `jobs status <jobId> --wait`) or another wallet's (exit 1).
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { jobsCompleteCommand } from './complete.js'
 *
 * declare const context: Parameters<typeof jobsCompleteCommand>[1]
 * jobsCompleteCommand(new Command('jobs'), context)
 * ```
 */
export function jobsCompleteCommand(jobs: Command, context: Context): Command {
  return withJobsOptions(
    jobs
      .command('complete')
      .description('Submit the proof of a reserved job.')
      .requiredOption('--reservation <file>', 'the reservation written by jobs reserve --save')
      .requiredOption('--proof <file>', 'JSON proof: proof_text and social_posts or workflow_id'),
  )
    .addHelpText(
      'after',
      '\nExample:\n  agentpmt jobs complete --reservation reservation.json --proof proof.json',
    )
    .action(async (options: JobsCommonOptions & { reservation: string; proof: string }) => {
      const saved = await readJsonObject(context, options.reservation)
      const proof = (await readJsonObject(context, options.proof)) as CompletionProof
      const client = await openClient(context, options)
      const reservation = restore(client, saved)
      const output = outputFor(context, options)
      let completion: Completion
      try {
        completion = await client.complete(reservation, proof)
      } catch (error) {
        if (isJobConflict(error)) await explainConflict(output, client, reservation.job_id, error)
        throw withNextCommand(error, reservation.job_id)
      }
      output.result(
        completion,
        () =>
          `submitted ${completion.job_id}: submission ${completion.submission?.submission_id ?? '(id not in the answer)'}, verification ${completion.submission?.verification.status ?? 'unknown'}${completion.adopted ? ' (an earlier attempt had reached the server)' : ''}\nFollow it with: agentpmt jobs status ${completion.job_id} --wait`,
      )
    })
}

function restore(client: JobsClient, saved: Record<string, unknown>): Reservation {
  try {
    return client.restoreReservation(saved)
  } catch {
    throw new InputError(
      'The reservation file must be the JSON written by `agentpmt jobs reserve --save`.',
    )
  }
}
