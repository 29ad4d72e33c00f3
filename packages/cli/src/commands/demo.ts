import type {
  Completion,
  JobKind,
  JobsClient,
  ListedJob,
  Reservation,
} from '@agentpmt-kit/jobs-client'
import type { VerificationStatus } from '@agentpmt-kit/message-builder'
import type { FaultRule } from '@agentpmt-kit/sandbox'
import { type Command, InvalidArgumentError } from 'commander'
import type { Context } from '../context.js'
import { ExitError } from '../exit.js'
import { collectFaultRules } from '../faultSpec.js'
import { type Output, outputFor } from '../output.js'
import { parseDuration } from '../parse.js'
import { demoWorkflow, socialPost } from '../proof.js'
import { createTrace, type TraceEvent, traceLines } from '../trace.js'
import { commandSummaries } from './summaries.js'

type DemoOptions = {
  outcome?: Outcome
  verificationDelay?: number
  faults?: FaultRule[]
  json?: boolean
}

const outcomes = ['verified', 'rejected', 'transient_error', 'needs_human'] as const
type Outcome = (typeof outcomes)[number]

/** What the demo did with one job. */
type JobReport = {
  job_id: string
  job_type: string | undefined
  title: string | undefined
  reward_credits: number | undefined
  reservation_id: string
  submission_id: string | undefined
  workflow_id?: string | undefined
  verification: VerificationStatus[]
  outcome: VerificationStatus | undefined
}

/**
 * `agentpmt demo`: the whole job loop on a sandbox started in this process, with a throwaway
 * wallet whose key is generated here and never printed. Shows each signed message, its payload
 * hash, every HTTP status and the verification status as it changes; exits 0 only when both
 * jobs (a social share and a workflow) are verified.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { demoCommand } from './demo.js'
 *
 * declare const context: Parameters<typeof demoCommand>[1]
 * demoCommand(new Command('agentpmt'), context)
 * ```
 */
export function demoCommand(program: Command, context: Context): Command {
  return program
    .command('demo')
    .description(commandSummaries.demo)
    .option(
      '--outcome <status>',
      `how the sandbox ends verifications: ${outcomes.join(', ')}`,
      outcome,
    )
    .option('--verification-delay <duration>', 'time of each verification phase', parseDuration)
    .option(
      '--faults <rule...>',
      'inject sandbox faults (see agentpmt sandbox --help)',
      collectFaultRules,
    )
    .option('--json', 'print one JSON document at the end instead of the steps')
    .addHelpText(
      'after',
      '\nExamples:\n  agentpmt demo\n  agentpmt demo --faults route=complete,status=503,times=1\n  agentpmt demo --outcome rejected   # exits 1',
    )
    .action(async (options: DemoOptions) => {
      const output = outputFor(context, options)
      const [{ startSandbox }, { createJobsClient }, { createViemSigner }, accounts] =
        await Promise.all([
          import('@agentpmt-kit/sandbox'),
          import('@agentpmt-kit/jobs-client'),
          import('@agentpmt-kit/signer-viem'),
          import('viem/accounts'),
        ])
      const sandbox = await startSandbox({
        verificationDelayMs: options.verificationDelay ?? 400,
        ...(options.outcome ? { verificationOutcome: options.outcome } : {}),
        ...(options.faults ? { faults: options.faults } : {}),
      })
      try {
        // The key lives in this closure only: it is never printed, logged or stored.
        const signer = createViemSigner(accounts.privateKeyToAccount(accounts.generatePrivateKey()))
        let quiet = false
        const trace = createTrace(signer, (event) => {
          if (!quiet) for (const line of traceLines(event)) output.step(line)
        })
        const client = createJobsClient({
          signer: trace.signer,
          logger: trace.logger,
          fetch: trace.fetch,
          baseUrl: sandbox.url,
          retry: { baseDelayMs: 100, maxDelayMs: 1_000 },
        })
        output.step('AgentPMT demo: the whole job loop against a local sandbox.')
        output.step(`sandbox  ${sandbox.url} (in this process)`)
        output.step(`wallet   ${signer.address} (throwaway key, generated now, never shown)`)
        const loop = { client, output, setQuiet: (value: boolean) => (quiet = value) }
        const reports = await runLoop(loop)
        const ok = reports.every((report) => report.outcome === 'verified')
        output.result(jsonReport(ok, sandbox.url, signer.address, reports, trace.events), () =>
          summary(ok, reports, trace.events),
        )
        if (!ok) throw new ExitError(1, 'Not every job was verified.')
      } finally {
        await sandbox.close()
      }
    })
}

type Loop = { client: JobsClient; output: Output; setQuiet(quiet: boolean): void }

async function runLoop({ client, output, setQuiet }: Loop): Promise<JobReport[]> {
  const step = (title: string): void => output.step(`\n${title}`)

  step('1. Open a session (unsigned)')
  const session = await client.createSession()
  output.step(
    `   session ${session.session_nonce}, expires ${session.expiresAtMs === undefined ? 'when the server says' : new Date(session.expiresAtMs).toISOString()}`,
  )

  step('2. List open jobs')
  const page = await client.listJobs({ limit: 50 })
  for (const job of page.jobs)
    output.step(
      `   ${job.job_id.padEnd(30)} ${(job.job_type ?? '?').padEnd(18)} ${job.reward_credits ?? '?'} credits`,
    )
  const share = pick(page.jobs, 'social_share')
  const workflowJob = pick(page.jobs, 'workflow_creation')

  step(`3. Reserve ${share.job_id}`)
  const shareReservation = await client.reserve(share.job_id)
  const trackedUrl = shareReservation.trackedUrl
  if (trackedUrl === undefined)
    throw new Error(`The reservation of ${share.job_id} has no tracked URL.`)
  output.step(
    `   reservation ${shareReservation.reservation_id}, until ${shareReservation.expires_at}`,
  )
  output.step(`   tracked URL ${trackedUrl}`)

  step('4. Build the post with the tracked URL')
  const platform = shareReservation.platform ?? share.platform ?? 'linkedin'
  const post = socialPost({
    platform,
    trackedUrl,
    postUrl: demoPostUrl(platform, shareReservation.reservation_id),
  })
  output.step(`   ${platform}: "${post.message_text}"`)
  output.step(`   post_url ${post.post_url}`)

  step(`5. Complete ${share.job_id}`)
  const shareCompletion = await client.complete(shareReservation, {
    proof_text: `Published one ${platform} post with the tracked link.`,
    social_posts: [post],
  })
  output.step(`   submitted: submission ${submissionIdOf(shareCompletion)}`)

  step(`6. Wait for the verification of ${share.job_id}`)
  const shareReport = report(share, shareReservation, submissionIdOf(shareCompletion))
  await waitFor(client, output, setQuiet, shareReport)

  step(`7. Workflow job ${workflowJob.job_id}: reserve, create, publish, complete`)
  const workflowReservation = await client.reserve(workflowJob.job_id)
  output.step(
    `   reservation ${workflowReservation.reservation_id}, until ${workflowReservation.expires_at}`,
  )
  const created = await client.createWorkflow(
    workflowReservation,
    demoWorkflow(workflowJob.title ?? workflowJob.job_id),
  )
  output.step(`   workflow ${created.workflow_id}: ${created.status}`)
  const published = await client.publishWorkflow(workflowReservation, created.workflow_id)
  output.step(`   workflow ${published.workflow_id}: ${published.status}`)
  const workflowCompletion = await client.complete(workflowReservation, {
    proof_text: `Created and published workflow ${published.workflow_id}.`,
    workflow_id: published.workflow_id,
  })
  output.step(`   submitted: submission ${submissionIdOf(workflowCompletion)}`)

  step(`8. Wait for the verification of ${workflowJob.job_id}`)
  const workflowReport = report(
    workflowJob,
    workflowReservation,
    submissionIdOf(workflowCompletion),
  )
  workflowReport.workflow_id = published.workflow_id
  await waitFor(client, output, setQuiet, workflowReport)
  return [shareReport, workflowReport]
}

async function waitFor(
  client: JobsClient,
  output: Output,
  setQuiet: (quiet: boolean) => void,
  jobReport: JobReport,
): Promise<void> {
  const started = Date.now()
  // Status polls are many and alike: their messages are not printed, the status line is.
  setQuiet(true)
  try {
    const final = await client.waitForVerification(jobReport.job_id, {
      intervalMs: 150,
      maxIntervalMs: 600,
      onUpdate: (status) => {
        const current = status.submission?.verification.status
        if (current === undefined) return
        jobReport.verification.push(current)
        const seconds = ((Date.now() - started) / 1000).toFixed(1)
        output.status(`   verification: ${current} (${seconds} s)`)
      },
    })
    jobReport.outcome = final.submission.verification.status
  } finally {
    output.endStatus()
    setQuiet(false)
  }
  output.step(`   ${jobReport.job_id}: ${jobReport.verification.join(' -> ')}`)
}

function submissionIdOf(completion: Completion): string {
  return completion.submission?.submission_id ?? '(not in the answer)'
}

function pick(jobs: readonly ListedJob[], type: JobKind): ListedJob {
  const job = jobs.find((item) => item.job_type === type)
  if (job === undefined) throw new Error(`The sandbox lists no open ${type} job.`)
  return job
}

function report(job: ListedJob, reservation: Reservation, submissionId: string): JobReport {
  return {
    job_id: job.job_id,
    job_type: job.job_type,
    title: job.title,
    reward_credits: job.reward_credits,
    reservation_id: reservation.reservation_id,
    submission_id: submissionId,
    verification: [],
    outcome: undefined,
  }
}

const postUrls: Readonly<Record<string, (id: string) => string>> = {
  linkedin: (id) => `https://www.linkedin.com/feed/update/urn:li:activity:${id}`,
  x: (id) => `https://x.com/agentpmt_demo/status/${id}`,
  reddit: (id) => `https://www.reddit.com/r/agents/comments/${id}`,
  facebook: (id) => `https://www.facebook.com/agentpmt.demo/posts/${id}`,
  bluesky: (id) => `https://bsky.app/profile/agentpmt-demo.bsky.social/post/${id}`,
}

/** Where the demo says it posted: a plausible URL of the platform (the sandbox checks its shape). */
function demoPostUrl(platform: string, reservationId: string): string {
  const id = reservationId.replace(/[^A-Za-z0-9]/g, '')
  return (postUrls[platform] ?? ((value) => `https://example.com/posts/${value}`))(id)
}

function summary(
  ok: boolean,
  reports: readonly JobReport[],
  events: readonly TraceEvent[],
): string {
  const http = events.filter((event) => event.type === 'http')
  const signed = events.filter((event) => event.type === 'signed').length
  const lines = ['', 'Summary']
  for (const item of reports)
    lines.push(
      `  ${item.job_id.padEnd(30)} ${(item.job_type ?? '?').padEnd(18)} ${String(item.outcome).padEnd(9)} ${item.reward_credits ?? '?'} credits`,
    )
  const failed = http.filter((event) => event.status >= 400).length
  lines.push(
    `  ${http.length} HTTP requests (${failed} refused or failed), ${signed} signed messages`,
    '',
    ok ? 'Both jobs verified.' : 'Not every job was verified.',
  )
  return lines.join('\n')
}

function jsonReport(
  ok: boolean,
  url: string,
  wallet: string,
  reports: readonly JobReport[],
  events: readonly TraceEvent[],
): unknown {
  return { ok, sandbox: url, wallet, jobs: reports, events }
}

function outcome(value: string): Outcome {
  if (!(outcomes as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${outcomes.join(', ')}.`)
  return value as Outcome
}
