import { createInterface } from 'node:readline/promises'
import type { CompletionProof, JobsClient, Reservation, RunResult } from '@agentpmt-kit/jobs-client'
import type { WorkflowDefinition } from '@agentpmt-kit/message-builder'
import type { Command } from 'commander'
import type { Context } from '../../context.js'
import { ExitError } from '../../exit.js'
import { InputError, readJsonObject } from '../../input.js'
import { errorLine, type Output, outputFor } from '../../output.js'
import { socialPost } from '../../proof.js'
import { type JobsCommonOptions, openClient, withJobsOptions } from './client.js'

type RunCommandOptions = JobsCommonOptions & {
  postUrl?: string
  text?: string
  workflow?: string
}

/**
 * `agentpmt jobs run <jobId>`: reserve, do the work, complete, wait for verification, in one
 * process. A social-share job shows the tracked URL, then takes the URL of the post made with it
 * (`--post-url`, or a prompt on a terminal); a workflow job creates and publishes the workflow of
 * `--workflow <file>`. Exits 0 only when the submission is verified.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { jobsRunCommand } from './run.js'
 *
 * declare const context: Parameters<typeof jobsRunCommand>[1]
 * jobsRunCommand(new Command('jobs'), context)
 * ```
 */
export function jobsRunCommand(jobs: Command, context: Context): Command {
  return withJobsOptions(
    jobs
      .command('run')
      .description('Reserve a job, do it, complete it and wait for verification.')
      .argument('<jobId>', 'the job to run')
      .option('--post-url <url>', 'social share: URL of the post (asked on a terminal otherwise)')
      .option('--text <text>', 'social share: the post text; {url} stands for the tracked URL')
      .option('--workflow <file>', 'workflow job: JSON { name, description, nodes, edges }'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  agentpmt jobs run job_share_linkedin            # prompts for the post URL\n  agentpmt jobs run job_workflow_ticket_triage --workflow workflow.json',
    )
    .action(async (jobId: string, options: RunCommandOptions) => {
      checkBeforeReserving(context, options)
      const workflow =
        options.workflow === undefined
          ? undefined
          : ((await readJsonObject(context, options.workflow)) as WorkflowDefinition)
      const client = await openClient(context, options)
      await checkJobType(client, jobId, context, options)
      const output = outputFor(context, options)
      const result = await client.run(
        jobId,
        async (reservation) => {
          output.step(`reserved ${reservation.job_id}: reservation ${reservation.reservation_id}`)
          output.step(reservation.instructions)
          if (reservation.job.job_type === 'workflow_creation') {
            if (workflow === undefined)
              throw new InputError(`${jobId} is a workflow job: give --workflow <file>.`)
            const created = await client.createWorkflow(reservation, workflow)
            const published = await client.publishWorkflow(reservation, created.workflow_id)
            output.step(`workflow ${published.workflow_id}: ${published.status}`)
            return {
              proof_text: `Created and published workflow ${published.workflow_id}.`,
              workflow_id: published.workflow_id,
            } satisfies CompletionProof
          }
          return socialProof(context, output, reservation, options)
        },
        {
          verification: {
            onUpdate: (status) =>
              output.status(`verification: ${status.submission?.verification.status ?? 'none'}`),
          },
        },
      )
      output.endStatus()
      output.result(summary(result), () => describe(result))
      if (result.outcome !== 'verified') throw new ExitError(1, `The job ended ${result.outcome}.`)
    })
}

async function socialProof(
  context: Context,
  output: Output,
  reservation: Reservation,
  options: RunCommandOptions,
): Promise<CompletionProof> {
  const trackedUrl = reservation.trackedUrl
  if (trackedUrl === undefined) throw new InputError('The reservation has no tracked URL.')
  const platform = reservation.job.social_share?.platform ?? reservation.job.platform ?? ''
  output.step(`Post on ${platform} with this link, exactly: ${trackedUrl}`)
  const postUrl = options.postUrl ?? (await askPostUrl(context))
  const post = socialPost({ platform, trackedUrl, postUrl, text: options.text })
  return {
    proof_text: `Published one ${platform} post with the tracked link.`,
    social_posts: [post],
  }
}

/** What can be refused before a reservation is made: a run that could never finish holds a job. */
function checkBeforeReserving(context: Context, options: RunCommandOptions): void {
  if (options.postUrl !== undefined && !isHttpsUrl(options.postUrl))
    throw new InputError('--post-url must be the https URL of the published post.')
  if (options.postUrl === undefined && options.workflow === undefined && !context.stdin.isTTY)
    throw new InputError(
      'Give --post-url <url> (social-share job) or --workflow <file> (workflow job): there is no terminal to ask for the post URL.',
    )
}

/**
 * What the job needs, checked against its type in the open list before reserving. A job that is
 * not listed is left to the server's answer to the reservation (unknown, taken); the worker then
 * still refuses what it cannot do.
 */
async function checkJobType(
  client: JobsClient,
  jobId: string,
  context: Context,
  options: RunCommandOptions,
): Promise<void> {
  let jobType: string | undefined
  for await (const job of client.jobs())
    if (job.job_id === jobId) {
      jobType = job.job_type
      break
    }
  if (jobType === 'workflow_creation' && options.workflow === undefined)
    throw new InputError(`${jobId} is a workflow job: give --workflow <file>.`)
  if (jobType === 'social_share' && options.postUrl === undefined && !context.stdin.isTTY)
    throw new InputError(
      `${jobId} is a social-share job: give --post-url <url>, there is no terminal to ask for it.`,
    )
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:'
  } catch {
    return false
  }
}

/** Asks on the terminal; the prompt goes through `context.stderr`, so it is filtered like the rest. */
async function askPostUrl(context: Context): Promise<string> {
  if (!context.stdin.isTTY)
    throw new InputError('Give --post-url <url>: there is no terminal to ask for it.')
  const question = 'URL of your published post: '
  context.stderr.write(question)
  const lines = createInterface({ input: context.stdin, terminal: false })
  try {
    for await (const line of lines) {
      if (isHttpsUrl(line.trim())) return line.trim()
      context.stderr.write(`That is not an https URL. ${question}`)
    }
    throw new InputError('No post URL was given.')
  } finally {
    lines.close()
  }
}

function summary(result: RunResult): unknown {
  return {
    outcome: result.outcome,
    reservation: JSON.parse(JSON.stringify(result.reservation)) as unknown,
    completion: result.completion ?? null,
    status: result.status ?? null,
    error: result.error === undefined ? null : errorLine(result.error).replace(/^error: /, ''),
  }
}

function describe(result: RunResult): string {
  const lines = [`${result.reservation.job_id}: ${result.outcome}`]
  if (result.completion) lines.push(`submission ${result.completion.submission.submission_id}`)
  const reason = result.status?.submission.verification.reason
  if (reason) lines.push(`reason: ${reason}`)
  if (result.error !== undefined)
    lines.push(errorLine(result.error).replace(/^error: /, 'abandoned: '))
  return lines.join('\n')
}
