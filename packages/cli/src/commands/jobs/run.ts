import { createInterface } from 'node:readline/promises'
import type {
  CompletionProof,
  JobsClient,
  Journal,
  JournalEntry,
  Reservation,
  RunResult,
} from '@agentpmt-kit/jobs-client'
import { findSecret, SecretInRequestError } from '@agentpmt-kit/jobs-client/secrets'
import type { WorkflowDefinition } from '@agentpmt-kit/message-builder'
import type { Command } from 'commander'
import type { Context } from '../../context.js'
import { ExitError, errorClassOf, exitCodes } from '../../exit.js'
import { InputError, readJsonObject } from '../../input.js'
import { keyPatternOf } from '../../key.js'
import { errorLine, type Output, outputFor } from '../../output.js'
import { socialPost } from '../../proof.js'
import { journalDirOf, prepareStateDir, stateDirOf } from '../../state.js'
import { type JobsCommonOptions, openClient, withJobsOptions } from './client.js'
import { explainConflict, followCommand, followStatusExitCode, isJobConflict } from './conflict.js'
import { withNextCommand } from './notFound.js'

type RunCommandOptions = JobsCommonOptions & {
  postUrl?: string
  text?: string
  workflow?: string
  /** The state folder; `false` with `--no-state`. */
  state?: string | false
}

/**
 * `agentpmt jobs run <jobId>`: reserve, do the work, complete, wait for verification, in one
 * process. A social-share job shows the tracked URL, then takes the URL of the post made with it
 * (`--post-url`, `--post-url -` to read it from stdin, or a prompt on a terminal); a workflow job
 * creates and publishes the workflow of `--workflow <file>`.
 *
 * The run keeps a journal in the state folder (`--state <dir>`, see `stateDirOf`; `--no-state`
 * for none): run again after a crash, it resumes the job from its last recorded step instead of
 * reserving it twice or losing a submission. Exits 0 only when the submission is verified, 3
 * when its fate is unknown or this wallet had already submitted (follow it with
 * `agentpmt jobs status <jobId> --wait`), 6 when the job is another wallet's, the code of the
 * error's class when the run was abandoned or expired for a known reason (7 for the network),
 * 1 otherwise.
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
      .option(
        '--post-url <url>',
        'social share: URL of the post; - reads it from stdin (asked on a terminal otherwise)',
      )
      .option('--text <text>', 'social share: the post text; {url} stands for the tracked URL')
      .option('--workflow <file>', 'workflow job: JSON { name, description, nodes, edges }')
      .option(
        '--state <dir>',
        'state folder of the journal that resumes a run (default $AGENTPMT_STATE_DIR, $XDG_STATE_HOME/agentpmt or ~/.local/state/agentpmt)',
      )
      .option('--no-state', 'keep no journal: a run killed midway is not resumed'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  agentpmt jobs run job_share_linkedin            # prompts for the post URL\n  agentpmt jobs run job_workflow_ticket_triage --workflow workflow.json\n\nRun again after a crash, it resumes the job from its journal. Exit codes: 0 verified,\n2 usage error (nothing reserved), 3 unknown or already submitted by this wallet (follow with\njobs status <jobId> --wait), 6 another wallet’s job, 4/5/7/8 signature, not found, network,\nserver; 1 otherwise.',
    )
    .action(async (jobId: string, options: RunCommandOptions) => {
      checkPostUrl(options)
      const stateDir =
        options.state === false
          ? undefined
          : await prepareStateDir(stateDirOf(context.env, options.state))
      const workflow =
        options.workflow === undefined
          ? undefined
          : ((await readJsonObject(context, options.workflow)) as WorkflowDefinition)
      const client = await openClient(context, options)
      const output = outputFor(context, options)
      // The key where the job id belongs: refused (a usage error, exit 2) before the journal,
      // which is written before the client's own check would refuse it.
      const keyPattern = keyPatternOf(context.env)
      if (keyPattern !== undefined && findSecret(jobId, [keyPattern]) !== undefined)
        throw new SecretInRequestError({ field: 'path' })
      const journal =
        stateDir === undefined
          ? undefined
          : (await import('@agentpmt-kit/jobs-client/file-journal')).createFileJournal({
              dir: journalDirOf(stateDir),
            })
      const entry = await journal?.read(client.address, jobId)
      // A recorded proof is sent as it is: no post URL or workflow is needed to finish.
      if (!hasRecordedProof(entry)) checkInputsAtHand(context, options)
      if (entry === undefined) await checkJobType(client, jobId, context, options)
      else output.step(resumeLine(entry))
      let result: RunResult
      try {
        result = await client.run(
          jobId,
          async (reservation) => {
            output.step(`reserved ${reservation.job_id}: reservation ${reservation.reservation_id}`)
            if (reservation.instructions !== undefined) output.step(reservation.instructions)
            if (reservation.jobKind === 'workflow_creation') {
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
                output.wait(`verification: ${status.submission?.verification.status ?? 'none'}`),
            },
            ...(journal === undefined ? {} : { journal }),
          },
        )
      } catch (error) {
        output.endStatus()
        if (isJobConflict(error)) await explainConflict(output, client, jobId, error)
        throw withNextCommand(error, jobId)
      }
      output.endStatus()
      if (result.outcome === 'abandoned' && isJobConflict(result.error))
        await explainConflict(output, client, jobId, result.error)
      output.result(summary(result, entry, journal), () => describe(result, stateDir))
      if (result.outcome === 'unknown')
        throw new ExitError(followStatusExitCode, 'The outcome of the job is unknown.')
      if (result.outcome !== 'verified')
        throw new ExitError(exitCodeOfOutcome(result), `The job ended ${result.outcome}.`)
    })
}

/**
 * A run that ended for a classified reason (the network, the server) exits with its code. A
 * usage error midway (no post URL given) is a failed job: the job was reserved, so 2 ("nothing
 * was done") would be untrue.
 */
function exitCodeOfOutcome(result: RunResult): number {
  if (result.outcome === 'rejected' || result.outcome === 'needs_human') return exitCodes.failed
  const kind = result.error === undefined ? 'failed' : errorClassOf(result.error)
  return exitCodes[kind === 'usage' ? 'failed' : kind]
}

function hasRecordedProof(entry: JournalEntry | undefined): boolean {
  return entry?.proof !== undefined && (entry.step === 'completing' || entry.step === 'completed')
}

/** The one line a resumed run starts with: which recorded step it takes up. */
function resumeLine(entry: JournalEntry): string {
  const reservationId = entry.reservation?.reservation_id
  const what = {
    reserving: 'the reserve answer was not recorded; asking again gives a held reservation back',
    reserved: 'reserved, no proof recorded; the work is done again',
    completing: "the proof was being sent; the server's record decides whether to send it again",
    completed: 'the proof was sent; following its verification',
  }[entry.step]
  return `resuming ${entry.jobId} from the journal: recorded step ${entry.step}${typeof reservationId === 'string' ? ` (reservation ${reservationId})` : ''}, ${what}`
}

async function socialProof(
  context: Context,
  output: Output,
  reservation: Reservation,
  options: RunCommandOptions,
): Promise<CompletionProof> {
  const trackedUrl = reservation.trackedUrl
  if (trackedUrl === undefined) throw new InputError('The reservation has no tracked URL.')
  const platform = reservation.platform ?? ''
  output.step(`Post on ${platform} with this link, exactly: ${trackedUrl}`)
  const postUrl =
    options.postUrl === undefined || options.postUrl === '-'
      ? await askPostUrl(context, options.postUrl === '-')
      : options.postUrl
  const post = socialPost({ platform, trackedUrl, postUrl, text: options.text })
  return {
    proof_text: `Published one ${platform} post with the tracked link.`,
    social_posts: [post],
  }
}

/** The post URL, when given, is checked before anything else. */
function checkPostUrl(options: RunCommandOptions): void {
  if (options.postUrl !== undefined && options.postUrl !== '-' && !isHttpsUrl(options.postUrl))
    throw new InputError('--post-url must be the https URL of the published post, or -.')
}

/** What can be refused before a reservation is made: a run that could never finish holds a job. */
function checkInputsAtHand(context: Context, options: RunCommandOptions): void {
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

/**
 * Asks on the terminal, or reads stdin line by line with `--post-url -`; the prompt goes through
 * `context.stderr`, so it is filtered like the rest.
 */
async function askPostUrl(context: Context, fromStdin: boolean): Promise<string> {
  if (!fromStdin && !context.stdin.isTTY)
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

function summary(
  result: RunResult,
  entry: JournalEntry | undefined,
  journal: Journal | undefined,
): unknown {
  return {
    outcome: result.outcome,
    resumed_from: entry?.step ?? null,
    journal: journal === undefined ? 'off' : result.outcome === 'unknown' ? 'kept' : 'removed',
    reservation: JSON.parse(JSON.stringify(result.reservation)) as unknown,
    completion: result.completion ?? null,
    status: result.status ?? null,
    error: result.error === undefined ? null : errorLine(result.error).replace(/^error: /, ''),
    next: result.outcome === 'unknown' ? followCommand(result.reservation.job_id) : null,
  }
}

function describe(result: RunResult, stateDir: string | undefined): string {
  const jobId = result.reservation.job_id
  const lines = [`${jobId}: ${result.outcome}`]
  const submissionId = result.completion?.submission?.submission_id
  if (submissionId !== undefined) lines.push(`submission ${submissionId}`)
  const reason = result.status?.submission.verification.reason
  if (reason) lines.push(`reason: ${reason}`)
  if (result.outcome === 'unknown') {
    if (result.error !== undefined)
      lines.push(errorLine(result.error).replace(/^error: /, 'unknown: '))
    lines.push(`Follow it with: ${followCommand(jobId)}`)
    if (stateDir !== undefined)
      lines.push(`(the journal in ${stateDir} is kept: jobs run ${jobId} again resumes it)`)
  } else if (result.error !== undefined)
    lines.push(errorLine(result.error).replace(/^error: /, 'abandoned: '))
  return lines.join('\n')
}
