import type { Command } from 'commander'
import type { Context } from '../../context.js'
import { outputFor } from '../../output.js'
import { parseCount, parsePositiveInteger } from '../../parse.js'
import { type JobsCommonOptions, openClient, withJobsOptions } from './client.js'

/**
 * `agentpmt jobs list [--limit n] [--skip n]`: one page of open jobs.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { jobsListCommand } from './list.js'
 *
 * declare const context: Parameters<typeof jobsListCommand>[1]
 * jobsListCommand(new Command('jobs'), context)
 * ```
 */
export function jobsListCommand(jobs: Command, context: Context): Command {
  return withJobsOptions(
    jobs
      .command('list')
      .description('List open jobs.')
      .option('--limit <n>', 'jobs per page', parsePositiveInteger, 50)
      .option('--skip <n>', 'jobs to skip', parseCount, 0),
  )
    .addHelpText('after', '\nExample:\n  agentpmt jobs list --base-url http://127.0.0.1:8787')
    .action(async (options: JobsCommonOptions & { limit: number; skip: number }) => {
      const client = await openClient(context, options)
      const page = await client.listJobs({ limit: options.limit, skip: options.skip })
      outputFor(context, options).result(page, () =>
        [
          ...page.jobs.map(
            (job) =>
              `${job.job_id.padEnd(30)} ${(job.job_type ?? '?').padEnd(18)} ${String(job.reward_credits ?? '?').padStart(4)} credits  ${job.title ?? ''}`,
          ),
          `${page.jobs.length} of ${page.total ?? '?'} open jobs (skip ${options.skip})`,
        ].join('\n'),
      )
    })
}
