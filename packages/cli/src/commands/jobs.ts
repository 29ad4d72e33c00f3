import type { Command } from 'commander'
import type { Context } from '../context.js'
import { jobsCompleteCommand } from './jobs/complete.js'
import { jobsListCommand } from './jobs/list.js'
import { jobsReserveCommand } from './jobs/reserve.js'
import { jobsRunCommand } from './jobs/run.js'
import { jobsStatusCommand } from './jobs/status.js'
import { commandSummaries } from './summaries.js'

/**
 * `agentpmt jobs list|reserve|complete|status|run`: the job endpoints of a real server (or a
 * sandbox, with `--base-url`), signed with the key in `AGENTPMT_PRIVATE_KEY`.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { jobsCommand } from './jobs.js'
 *
 * declare const context: Parameters<typeof jobsCommand>[1]
 * jobsCommand(new Command('agentpmt'), context)
 * ```
 */
export function jobsCommand(program: Command, context: Context): Command {
  const jobs = program.command('jobs').description(commandSummaries.jobs)
  for (const register of [
    jobsListCommand,
    jobsReserveCommand,
    jobsCompleteCommand,
    jobsStatusCommand,
    jobsRunCommand,
  ])
    register(jobs, context)
  return jobs
}
