import {
  ApiError,
  diagnoseSignature,
  parseApiError,
  type Recovery,
  ReservationExpiredError,
  recoveryFor,
  type SignatureDiagnosis,
} from '@agentpmt-kit/error-recovery'
import {
  type Completion,
  type CompletionProof,
  checkProof,
  findSecret,
  type JobsClient,
  type Reservation,
  ReservationDeadlineError,
  SecretInRequestError,
  SignatureRejectedError,
  type WorkflowAnswer,
} from '@agentpmt-kit/jobs-client'
import type { SocialPost } from '@agentpmt-kit/message-builder'
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js'
import * as z from 'zod'
import { errorResult, type Failure, failureOf, ToolFailure, withErrorResult } from './failures.js'
import type { Redactor } from './redact.js'
import type { ReservationBook } from './reservations.js'

const jobId = z
  .string()
  .min(1)
  .max(200)
  .describe('The job_id, exactly as list_jobs or reserve_job gave it.')

const socialPost = z.object({
  platform: z.string().describe("The job's platform, exactly as reserve_job gave it."),
  post_url: z.string().describe('The https URL of the public post you published.'),
  target_url_used: z
    .string()
    .describe('The tracked link exactly as reserve_job gave it (tracked_url).'),
  message_text: z.string().describe('The text of the post as published.'),
  posted_at: z
    .string()
    .describe('When it was published: ISO-8601 with a time zone, e.g. 2026-05-17T14:30:00Z.'),
})

const inputs = {
  list_jobs: {
    limit: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe('Jobs per page, 1 to 50. Default 20.'),
    skip: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Jobs to skip: the next_skip of the previous page. Default 0.'),
  },
  reserve_job: { job_id: jobId },
  complete_job: {
    job_id: jobId,
    proof_text: z
      .string()
      .min(1)
      .max(4000)
      .describe(
        'One or two sentences on what you did, e.g. "Published one LinkedIn post with the tracked link."',
      ),
    social_posts: z
      .array(socialPost)
      .length(1)
      .optional()
      .describe(
        "Social-share jobs only: the one post you published, as an array of exactly one (the jobs guides' shape).",
      ),
    social_post: socialPost
      .optional()
      .describe(
        'Social-share jobs only: the one post you published (the same as social_posts[0]).',
      ),
    workflow_id: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Workflow jobs only: the workflow_id that create_workflow gave and publish_workflow published.',
      ),
  },
  job_status: {
    job_id: jobId,
    wait_seconds: z
      .number()
      .int()
      .min(0)
      .max(120)
      .optional()
      .describe(
        'Wait up to this many seconds for a final verification (verified, rejected, needs_human). Default 0: answer at once.',
      ),
  },
  create_workflow: {
    job_id: jobId,
    name: z.string().min(1).max(200).describe('The name of the workflow.'),
    description: z.string().min(1).max(4000).describe('What the workflow does.'),
    nodes: z
      .array(z.record(z.string(), z.unknown()))
      .max(500)
      .describe(
        'The steps of the workflow, as JSON objects (e.g. { "id": "n1", "type": "trigger", "label": "New ticket" }).',
      ),
    edges: z
      .array(z.record(z.string(), z.unknown()))
      .max(1000)
      .describe('The links between steps, as JSON objects (e.g. { "from": "n1", "to": "n2" }).'),
  },
  publish_workflow: {
    job_id: jobId,
    workflow_id: z.string().min(1).max(200).describe('The workflow_id that create_workflow gave.'),
  },
  diagnose_refusal: {
    error_body: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'The JSON error body the API answered ({ error_code, detail, details }). Omit to diagnose the last refusal this server received.',
      ),
    http_status: z
      .number()
      .int()
      .min(100)
      .max(599)
      .optional()
      .describe('The HTTP status of that answer. Default 401.'),
    signed_message: z
      .string()
      .max(10_000)
      .optional()
      .describe('For a signature refusal: the exact message that was signed.'),
    payload: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('For a signature refusal: the payload object that was hashed into the message.'),
  },
}

const nullableString = z.string().nullable()

const reservation = z.object({
  job_id: z.string(),
  reservation_id: z.string(),
  job_kind: z.enum(['social_share', 'workflow_creation']).nullable(),
  title: nullableString,
  platform: nullableString,
  tracked_url: nullableString,
  expires_at: z.string(),
  safety_deadline: z.string(),
  seconds_left: z.number(),
  deadline_source: z.enum(['server', 'default']),
})

const workflowResult = {
  job_id: z.string(),
  workflow_id: z.string(),
  status: nullableString,
  next_step: z.string(),
}

const outputs = {
  list_jobs: {
    jobs: z.array(
      z.object({
        job_id: z.string(),
        job_type: nullableString,
        title: nullableString,
        reward_credits: z.number().nullable(),
        platform: nullableString,
      }),
    ),
    total: z.number().nullable(),
    next_skip: z.number().nullable(),
    my_reservations: z.array(reservation),
  },
  reserve_job: {
    ...reservation.shape,
    instructions: nullableString,
    already_held: z.boolean(),
    next_steps: z.array(z.string()),
  },
  complete_job: {
    job_id: z.string(),
    reservation_id: z.string(),
    submission_id: nullableString,
    verification_status: nullableString,
    adopted: z.boolean(),
    next_step: z.string(),
  },
  job_status: {
    job_id: z.string(),
    job_status: nullableString,
    submission: z
      .object({
        submission_id: nullableString,
        verification_status: z.string(),
        reason: nullableString,
      })
      .nullable(),
    final: z.boolean(),
    my_reservation: reservation.nullable(),
    next_step: z.string(),
  },
  create_workflow: workflowResult,
  publish_workflow: workflowResult,
  diagnose_refusal: {
    source: z.enum(['last_refusal', 'given']),
    tool: nullableString,
    job_id: nullableString,
    http_status: z.number().nullable(),
    error_code: nullableString,
    recovery: nullableString,
    detail: nullableString,
    checklist: z.array(z.string()),
    problems: z.array(
      z.object({
        kind: z.string(),
        line: z.number().nullable(),
        field: nullableString,
        ours: nullableString,
        expected: nullableString,
        explanation: z.string(),
      }),
    ),
    summary: z.string(),
    next_step: z.string(),
  },
}

/** What the tools need: the client, the reservation book, and the server's settings. */
export type ToolDeps = {
  client: JobsClient
  book: ReservationBook
  safetyMarginMs: number
  pollIntervalMs: number
  now: () => number
  log: (record: Record<string, unknown>) => void
  redact: Redactor
  /** The `secrets` option's patterns: an argument holding one is refused before anything is done. */
  secrets: readonly RegExp[]
}

type ToolName = keyof typeof inputs
type Success = { structured: Record<string, unknown>; text: string }

const lapseRule =
  'If you cannot finish the work in time or cannot meet every instruction, stop and let the reservation lapse: never submit incomplete or made-up proof.'

const descriptions: Record<ToolName, string> = {
  list_jobs:
    'List open AgentPMT jobs that pay credits to this wallet, one page at a time (limit up to 50; pass next_skip as skip for the next page). Each job has a job_id, a job_type (social_share: publish one post with a tracked link; workflow_creation: build and publish a workflow), a title, reward_credits and, for social shares, the platform. my_reservations lists the jobs this server already holds a reservation for, with the seconds left. Spends one signed request.',
  reserve_job: `Reserve one job for this wallet: until the reservation expires, only you can complete it. Answers the private instructions, the tracked link of a social-share job (post it exactly as given), the deadline and the seconds left before the safety deadline, after which completion is refused. Reserve only a job you can finish now, one at a time. ${lapseRule} Calling it again for a job you hold answers the same reservation. Spends one signed request.`,
  complete_job: `Submit the proof of a job reserved through this server (or found in its journal after a restart); no other job can be completed. Social-share job: social_posts, an array of exactly one post (as in the jobs guides; social_post, the post alone, is accepted too) with platform, post_url (the https URL of the public post you published), target_url_used (the tracked link exactly as reserve_job gave it), message_text (the text you posted) and posted_at (ISO-8601 with a time zone). Workflow job: workflow_id (the workflow you created and published). The proof is checked here first: problems come back field by field with nothing sent, and you may fix them and call again before the safety deadline. Only submit proof of work really done and public. ${lapseRule} Refused after the safety deadline. Then follow verification with job_status. Spends one signed request or more.`,
  job_status:
    "This wallet's status of a job: its submission and verification status (queued, running, verified, rejected, transient_error, needs_human) and the reservation this server holds for it. wait_seconds (up to 120) waits for a final verdict (verified, rejected, needs_human). Spends one signed request per poll.",
  create_workflow:
    'Workflow jobs only: create the workflow that the job instructions ask for, under the reservation this server made. nodes and edges are JSON objects. Answers the workflow_id; then call publish_workflow, then complete_job with that workflow_id. Call it once per job: calling it again creates a second workflow.',
  publish_workflow:
    'Workflow jobs only: publish the workflow created with create_workflow for this job. Safe to call again. Then call complete_job with the workflow_id.',
  diagnose_refusal:
    "Explain why the AgentPMT API refused a request and what to do next. Without arguments it diagnoses the last refusal this server received. Or give error_body (the API's JSON error), http_status, and for a signature refusal signed_message and payload: it names each line of the message that differs from what the server checked. Never sign a message the server sends back; rebuild it from your own fields.",
}

/** Short names a host shows people (the description is for the model). */
const titles: Record<ToolName, string> = {
  list_jobs: 'List open jobs',
  reserve_job: 'Reserve a job',
  complete_job: 'Submit proof of a job',
  job_status: 'Job status and verification',
  create_workflow: 'Create a workflow (workflow jobs)',
  publish_workflow: 'Publish a workflow (workflow jobs)',
  diagnose_refusal: 'Diagnose a refusal',
}

/** What each tool does to the world, for hosts that ask before a call that changes something. */
const annotations: Record<ToolName, ToolAnnotations> = {
  list_jobs: { readOnlyHint: true, openWorldHint: true },
  reserve_job: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: true,
  },
  complete_job: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: true,
  },
  job_status: { readOnlyHint: true, openWorldHint: true },
  create_workflow: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: true,
  },
  publish_workflow: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: true,
  },
  diagnose_refusal: { readOnlyHint: true, openWorldHint: false },
}

/** How a tool is listed: its schemas (strict input; output with its error results), names, hints. */
function toolConfig(name: ToolName) {
  return {
    title: titles[name],
    description: descriptions[name],
    // Strict: an argument the tool does not take is refused with a hint, never dropped.
    inputSchema: z.strictObject(inputs[name], {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? unknownArguments(name, issue.keys) : undefined,
    }),
    outputSchema: withErrorResult(outputs[name]),
    annotations: annotations[name],
  }
}

/**
 * Registers every tool of the job loop on `server` answering `failure` to any call: a server
 * with no wallet (no key configured) still lists its tools and says, on each call, what is
 * missing and how to set it.
 */
export function registerUnavailableTools(
  server: McpServer,
  failure: Failure,
  deps: Pick<ToolDeps, 'log' | 'redact'>,
): void {
  for (const name of Object.keys(inputs) as ToolName[])
    server.registerTool(name, toolConfig(name), (async (): Promise<CallToolResult> => {
      deps.log({ tool: name, signed: false, result: failure.code, ms: 0 })
      return errorResult(failure, deps.redact)
    }) as never)
}

/** The message of an input naming arguments the tool does not take: which ones, and what it takes. */
function unknownArguments(name: ToolName, keys: readonly PropertyKey[]): string {
  const known = Object.keys(inputs[name])
  return `unknown argument${keys.length === 1 ? '' : 's'} ${keys.map(String).join(', ')}: ${name} takes ${known.join(', ')}${name === 'complete_job' ? ' (a social post as social_posts: [post], or social_post: post)' : ''}`
}

const signedTools: ReadonlySet<ToolName> = new Set([
  'list_jobs',
  'reserve_job',
  'complete_job',
  'job_status',
])

const finalStatuses: readonly string[] = ['verified', 'rejected', 'needs_human']

/** Registers the tools of the job loop on `server`. */
export function registerTools(server: McpServer, deps: ToolDeps): void {
  const { client, book, now, redact } = deps
  let lastRefusal: { tool: ToolName; jobId: string | undefined; error: unknown } | undefined

  const register = <name extends ToolName>(
    name: name,
    handler: (input: z.infer<z.ZodObject<(typeof inputs)[name]>>) => Promise<Success>,
  ): void => {
    server.registerTool(name, toolConfig(name), (async (
      input: z.infer<z.ZodObject<(typeof inputs)[name]>>,
    ): Promise<CallToolResult> => {
      const started = now()
      const fields = input as { job_id?: unknown }
      const jobId = typeof fields.job_id === 'string' ? fields.job_id : undefined
      const record = (result: string): void =>
        deps.log({
          tool: name,
          ...(jobId === undefined ? {} : { job_id: jobId }),
          signed: signedTools.has(name),
          result,
          ms: now() - started,
        })
      try {
        // Before the journal or the client see it: diagnose_refusal only reads what it is given.
        const secretField =
          name === 'diagnose_refusal' ? undefined : findSecret(input, deps.secrets)
        if (secretField !== undefined) throw new SecretInRequestError({ field: secretField })
        const { structured, text } = await handler(input)
        record('ok')
        return {
          content: [{ type: 'text', text: redact.text(text) }],
          structuredContent: redact.value(structured),
        }
      } catch (error) {
        const failure = failureOf(error)
        if (refusalIn(error) !== undefined) lastRefusal = { tool: name, jobId, error }
        record(failure.code)
        return errorResult(failure, redact)
      }
    }) as never)
  }

  const view = (reservation: Reservation): ReservationView =>
    reservationView(reservation, deps.safetyMarginMs, now())

  const heldOrFail = async (jobId: string, tool: string): Promise<Reservation> => {
    const reservation = await book.held(jobId)
    if (reservation !== undefined) return reservation
    throw new ToolFailure({
      code: 'not_reserved_here',
      message: `This server holds no reservation for job ${jobId}: ${tool} works only on jobs reserved through reserve_job on this server (or found in its journal after a restart).`,
      next_step: 'Call reserve_job for the job first, do the work, then call this tool again.',
    })
  }

  const checkSafetyDeadline = async (reservation: Reservation): Promise<void> => {
    const safety = reservation.deadline - deps.safetyMarginMs
    if (!reservation.signal.aborted && now() < safety) return
    await book.forget(reservation.job_id)
    throw new ToolFailure({
      code: 'deadline_passed',
      message: `The safety deadline of reservation ${reservation.reservation_id} passed at ${iso(safety)} (it expires at ${reservation.expires_at}; nothing is sent in the last ${Math.round(deps.safetyMarginMs / 1000)} s, so that a slow request cannot arrive after it). Nothing was sent.`,
      next_step:
        'Stop working on this job and let the reservation lapse; do not submit anything for it. Pick another job with list_jobs.',
    })
  }

  register('list_jobs', async (input) => {
    const limit = input.limit ?? 20
    const skip = input.skip ?? 0
    const page = await client.listJobs({ limit, skip })
    const jobs = page.jobs.map((job) => ({
      job_id: job.job_id,
      job_type: stringOrNull(job.job_type),
      title: stringOrNull(job.title),
      reward_credits: typeof job.reward_credits === 'number' ? job.reward_credits : null,
      platform: stringOrNull(job.platform),
    }))
    const more = page.total === undefined ? jobs.length === limit : skip + jobs.length < page.total
    const nextSkip = more && jobs.length > 0 ? skip + jobs.length : null
    const mine = (await book.list()).map(view)
    const lines = [
      `${jobs.length} open job${jobs.length === 1 ? '' : 's'}${page.total === undefined ? '' : ` of ${page.total}`} (skip ${skip}):`,
      ...jobs.map(
        (job) =>
          `- ${job.job_id} [${job.job_type ?? '?'}] ${job.title ?? ''}${job.reward_credits === null ? '' : `, ${job.reward_credits} credits`}${job.platform === null ? '' : `, ${job.platform}`}`,
      ),
      ...(nextSkip === null ? [] : [`More: call list_jobs with skip ${nextSkip}.`]),
      ...(mine.length === 0
        ? []
        : [
            'Held by this server:',
            ...mine.map(
              (held) =>
                `- ${held.job_id}: reservation ${held.reservation_id}, ${held.seconds_left} s left`,
            ),
          ]),
    ]
    return {
      structured: { jobs, total: page.total ?? null, next_skip: nextSkip, my_reservations: mine },
      text: lines.join('\n'),
    }
  })

  register('reserve_job', async ({ job_id }) => {
    const known = await book.held(job_id)
    const needsToken =
      known !== undefined &&
      (known.jobKind === 'workflow_creation' || known.workflow_access !== undefined) &&
      !book.hasToken(job_id)
    let reservation: Reservation
    if (known !== undefined && !known.signal.aborted && !needsToken) reservation = known
    else {
      await book.reserving(job_id)
      try {
        reservation = await client.reserve(job_id)
      } catch (error) {
        if (refusedForSure(error)) await book.reserveRefused(job_id)
        throw error
      }
      await book.reserved(reservation)
    }
    await checkSafetyDeadline(reservation)
    const held = view(reservation)
    const steps = nextSteps(held)
    const lines = [
      `Reserved ${held.job_id}${held.title === null ? '' : ` (${held.title})`}: reservation ${held.reservation_id}.`,
      `Deadline: ${held.expires_at}; complete before ${held.safety_deadline} (${held.seconds_left} s left).`,
      ...(reservation.instructions === undefined
        ? []
        : [`Instructions: ${reservation.instructions}`]),
      ...(held.tracked_url === null ? [] : [`Tracked link (use exactly): ${held.tracked_url}`]),
      ...steps.map((step) => `- ${step}`),
    ]
    return {
      structured: {
        ...held,
        instructions: reservation.instructions ?? null,
        already_held: known !== undefined,
        next_steps: steps,
      },
      text: lines.join('\n'),
    }
  })

  register('complete_job', async (input) => {
    const reservation = await heldOrFail(input.job_id, 'complete_job')
    await checkSafetyDeadline(reservation)
    const proof = proofOf(reservation, input)
    checkProof(reservation, proof)
    await book.step(reservation, 'completing', proof)
    let completion: Completion
    try {
      completion = await client.complete(reservation, proof)
    } catch (error) {
      if (error instanceof ReservationDeadlineError || error instanceof ReservationExpiredError)
        await book.forget(reservation.job_id)
      else if (refusedForSure(error)) await book.step(reservation, 'reserved')
      throw error
    }
    await book.step(reservation, 'completed', proof)
    const submission = completion.submission
    const verification = submission?.verification.status ?? null
    const nextStep =
      'Call job_status with wait_seconds (e.g. 60) to follow the verification until verified, rejected or needs_human.'
    return {
      structured: {
        job_id: completion.job_id,
        reservation_id: completion.reservation_id,
        submission_id: stringOrNull(submission?.submission_id),
        verification_status: verification,
        adopted: completion.adopted,
        next_step: nextStep,
      },
      text: [
        `Submitted the proof of ${completion.job_id}${submission?.submission_id === undefined ? '' : `: submission ${submission.submission_id}`}${verification === null ? '' : `, verification ${verification}`}${completion.adopted ? ' (an earlier attempt had reached the server)' : ''}.`,
        `Next: ${nextStep}`,
      ].join('\n'),
    }
  })

  register('job_status', async (input) => {
    const jobId = input.job_id
    const until = now() + (input.wait_seconds ?? 0) * 1000
    let status = await client.status(jobId)
    while (
      status.submission !== undefined &&
      !finalStatuses.includes(status.submission.verification.status) &&
      now() + deps.pollIntervalMs <= until
    ) {
      await sleep(deps.pollIntervalMs)
      status = await client.status(jobId)
    }
    const submission = status.submission
    const verification = submission?.verification.status
    const final = verification !== undefined && finalStatuses.includes(verification)
    if (final) await book.forget(jobId)
    const held = final ? undefined : await book.held(jobId)
    const mine = held === undefined ? null : view(held)
    const reason = stringOrNull(submission?.verification.reason)
    const nextStep =
      verification === 'verified'
        ? 'Done: the submission is verified and the reward goes to this wallet.'
        : verification === 'rejected'
          ? `The submission was rejected${reason === null ? '' : ` (${reason})`}. Do not submit again for this job.`
          : verification === 'needs_human'
            ? 'A person will review the submission; nothing more to do.'
            : verification !== undefined
              ? 'Verification is in progress: call job_status again with wait_seconds.'
              : mine !== null
                ? `No submission yet. Do the work and call complete_job before ${mine.safety_deadline}, or let the reservation lapse.`
                : 'This wallet has no submission for this job.'
    return {
      structured: {
        job_id: jobId,
        job_status: status.status ?? null,
        submission:
          submission === undefined
            ? null
            : {
                submission_id: stringOrNull(submission.submission_id),
                verification_status: submission.verification.status,
                reason,
              },
        final,
        my_reservation: mine,
        next_step: nextStep,
      },
      text: [
        `${jobId}: ${verification === undefined ? 'no submission' : `verification ${verification}`}${status.status === undefined ? '' : ` (job ${status.status})`}.`,
        ...(mine === null
          ? []
          : [`Reservation ${mine.reservation_id}: ${mine.seconds_left} s left.`]),
        `Next: ${nextStep}`,
      ].join('\n'),
    }
  })

  const workflowReservation = async (jobId: string, tool: string): Promise<Reservation> => {
    const reservation = await heldOrFail(jobId, tool)
    if (reservation.jobKind === 'social_share')
      throw new ToolFailure({
        code: 'not_a_workflow_job',
        message: `${jobId} is a social-share job: it takes a post, not a workflow.`,
        next_step:
          'Publish the post with the tracked link, then call complete_job with social_posts: [post].',
      })
    await checkSafetyDeadline(reservation)
    return reservation
  }

  register('create_workflow', async (input) => {
    const reservation = await workflowReservation(input.job_id, 'create_workflow')
    const created = await client.createWorkflow(reservation, {
      name: input.name,
      description: input.description,
      nodes: input.nodes,
      edges: input.edges,
    })
    return workflowSuccess(
      input.job_id,
      created,
      'Created',
      `Call publish_workflow with job_id ${input.job_id} and workflow_id ${created.workflow_id}.`,
    )
  })

  register('publish_workflow', async (input) => {
    const reservation = await workflowReservation(input.job_id, 'publish_workflow')
    const published = await client.publishWorkflow(reservation, input.workflow_id)
    return workflowSuccess(
      input.job_id,
      published,
      'Published',
      `Call complete_job with job_id ${input.job_id}, workflow_id ${published.workflow_id} and a proof_text.`,
    )
  })

  register('diagnose_refusal', async (input) => {
    let source: 'last_refusal' | 'given'
    let apiError: ApiError | undefined
    let diagnosis: SignatureDiagnosis | undefined
    let tool: string | null = null
    let jobId: string | null = null
    if (input.error_body !== undefined) {
      source = 'given'
      apiError = parseApiError(input.http_status ?? 401, input.error_body)
      if (input.signed_message !== undefined)
        diagnosis = diagnoseSignature({
          message: input.signed_message,
          error: apiError,
          ...(input.payload === undefined ? {} : { payload: input.payload }),
        })
    } else {
      if (lastRefusal === undefined)
        throw new ToolFailure({
          code: 'nothing_to_diagnose',
          message: 'This server has received no refusal yet, and no error_body was given.',
          next_step:
            'Give error_body (and http_status, signed_message, payload) to diagnose another refusal.',
        })
      source = 'last_refusal'
      tool = lastRefusal.tool
      jobId = lastRefusal.jobId ?? null
      apiError = refusalIn(lastRefusal.error)
      const rejected = walk(lastRefusal.error, (error) => error instanceof SignatureRejectedError)
      if (rejected instanceof SignatureRejectedError) diagnosis = rejected.diagnosis
    }
    const recovery = apiError === undefined ? undefined : recoveryFor(apiError)
    const problems = (diagnosis?.problems ?? []).map((problem) => ({
      kind: problem.kind,
      line: problem.line ?? null,
      field: problem.field ?? null,
      ours: problem.ours ?? null,
      expected: problem.expected ?? null,
      explanation: problem.explanation,
    }))
    const summary =
      diagnosis?.summary ??
      [apiError?.shortMessage, apiError?.detail].filter((part) => part !== undefined).join(' ')
    const nextStep = recoveryAdvice(recovery)
    const checklist = [...(apiError?.errorDetails.checklist ?? [])]
    return {
      structured: {
        source,
        tool,
        job_id: jobId,
        http_status: apiError?.status ?? null,
        error_code: apiError?.errorCode ?? null,
        recovery: recovery ?? null,
        detail: apiError?.detail ?? null,
        checklist,
        problems,
        summary,
        next_step: nextStep,
      },
      text: [
        `${source === 'given' ? 'The given refusal' : `The last refusal (${tool}${jobId === null ? '' : ` on ${jobId}`})`}: ${[apiError?.status, apiError?.errorCode].filter((part) => part !== undefined).join(' ')}${recovery === undefined ? '' : `, recovery ${recovery}`}.`,
        summary,
        ...problems.map(
          (problem) =>
            `- ${problem.line === null ? '' : `line ${problem.line} `}${problem.kind}: ${problem.explanation}`,
        ),
        ...checklist.map((item) => `- ${item}`),
        `Next: ${nextStep}`,
      ].join('\n'),
    }
  })
}

/** The reservation as the tools show it. */
type ReservationView = {
  job_id: string
  reservation_id: string
  job_kind: 'social_share' | 'workflow_creation' | null
  title: string | null
  platform: string | null
  tracked_url: string | null
  expires_at: string
  safety_deadline: string
  seconds_left: number
  deadline_source: 'server' | 'default'
}

/** The answer of create_workflow and publish_workflow (one output schema, `workflowResult`). */
function workflowSuccess(
  jobId: string,
  workflow: WorkflowAnswer,
  done: 'Created' | 'Published',
  nextStep: string,
): Success {
  const named = `workflow ${workflow.workflow_id}${workflow.status === undefined ? '' : ` (${workflow.status})`}`
  return {
    structured: {
      job_id: jobId,
      workflow_id: workflow.workflow_id,
      status: workflow.status ?? null,
      next_step: nextStep,
    },
    text: `${done === 'Created' ? `Created ${named} for ${jobId}` : `Published ${named}`}.\nNext: ${nextStep}`,
  }
}

function reservationView(
  reservation: Reservation,
  safetyMarginMs: number,
  now: number,
): ReservationView {
  const safety = reservation.deadline - safetyMarginMs
  return {
    job_id: reservation.job_id,
    reservation_id: reservation.reservation_id,
    job_kind: reservation.jobKind ?? null,
    title: stringOrNull(reservation.job.title),
    platform: stringOrNull(reservation.platform),
    tracked_url: stringOrNull(reservation.trackedUrl),
    expires_at: reservation.expires_at,
    safety_deadline: iso(safety),
    seconds_left: reservation.signal.aborted ? 0 : Math.max(0, Math.floor((safety - now) / 1000)),
    deadline_source: reservation.deadlineSource,
  }
}

function nextSteps(held: ReservationView): string[] {
  const deadline = `Finish before ${held.safety_deadline} (${held.seconds_left} s from now). ${lapseRule}`
  if (held.job_kind === 'social_share')
    return [
      `Publish one public ${held.platform ?? ''} post that follows the instructions and contains the tracked link exactly as given: ${held.tracked_url ?? ''}`,
      'Then call complete_job with proof_text and social_posts: [{ platform, post_url, target_url_used (the tracked link), message_text, posted_at }].',
      deadline,
    ]
  if (held.job_kind === 'workflow_creation')
    return [
      'Design the workflow that the instructions ask for, then call create_workflow, then publish_workflow with its workflow_id.',
      'Then call complete_job with proof_text and that workflow_id.',
      deadline,
    ]
  return ['Follow the instructions, then call complete_job with the proof they ask for.', deadline]
}

/** The completion proof from `complete_job`'s input; a missing part is named field by field. */
function proofOf(
  reservation: Reservation,
  input: {
    proof_text: string
    social_posts?: readonly SocialPost[] | undefined
    social_post?: SocialPost | undefined
    workflow_id?: string | undefined
  },
): CompletionProof {
  if (input.social_posts !== undefined && input.social_post !== undefined)
    throw new ToolFailure({
      code: 'invalid_input',
      message: 'Give the post once: social_posts (an array of one) or social_post, not both.',
      problems: [{ field: 'social_post', problem: 'is the same as social_posts[0]: drop one' }],
      next_step: 'Call complete_job again with social_posts only.',
    })
  const post = input.social_posts?.[0] ?? input.social_post
  const kind = reservation.jobKind ?? (post !== undefined ? 'social_share' : 'workflow_creation')
  if (kind === 'social_share' && post === undefined)
    throw new ToolFailure({
      code: 'proof_invalid',
      message: 'The proof would be refused; nothing was sent.',
      problems: [
        {
          field: 'social_posts',
          problem: `is required for a social-share job: the one ${reservation.platform ?? ''} post you published with the tracked link`,
        },
      ],
      next_step: `Publish the post, then call complete_job with social_posts: [post]. ${lapseRule}`,
    })
  if (kind === 'workflow_creation' && input.workflow_id === undefined)
    throw new ToolFailure({
      code: 'proof_invalid',
      message: 'The proof would be refused; nothing was sent.',
      problems: [
        {
          field: 'workflow_id',
          problem:
            'is required for a workflow job: the id of the workflow you created and published',
        },
      ],
      next_step: `Create and publish the workflow, then call complete_job with its workflow_id. ${lapseRule}`,
    })
  return {
    proof_text: input.proof_text,
    ...(post === undefined ? {} : { social_posts: [post] }),
    ...(input.workflow_id === undefined ? {} : { workflow_id: input.workflow_id }),
  } as unknown as CompletionProof
}

/** Whether an error proves the request took no effect: a 4xx other than a conflict or 429. */
function refusedForSure(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 409 &&
    error.status !== 429
  )
}

/** The API's refusal in an error's cause chain, if any. */
function refusalIn(error: unknown): ApiError | undefined {
  const found = walk(error, (cause) => cause instanceof ApiError)
  return found instanceof ApiError ? found : undefined
}

function walk(error: unknown, predicate: (error: unknown) => boolean): unknown {
  let current = error
  for (let depth = 0; depth < 16 && current !== undefined; depth++) {
    if (predicate(current)) return current
    current = current instanceof Error ? current.cause : undefined
  }
  return undefined
}

function recoveryAdvice(recovery: Recovery | undefined): string {
  switch (recovery) {
    case 'new-session':
    case 'new-request':
      return 'The client opens a new session and signs again with a fresh request id by itself: call the tool again.'
    case 'fix-signature':
      return "The signer or the message building is wrong: retrying cannot help. Tell the operator. Never sign the server's expected_message: rebuild the message from your own fields."
    case 'retry-later':
      return 'The server is busy or failing: wait a little and call the tool again.'
    case 'none':
      return 'Read the checklist: fix the request, or pick another job.'
    default:
      return 'No API refusal to act on: read the message of the failed tool call.'
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
