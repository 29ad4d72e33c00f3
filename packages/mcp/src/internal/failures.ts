import { BaseError } from '@agentpmt-kit/canonical-json'
import {
  ApiError,
  JobAlreadyReservedError,
  JobAlreadySubmittedError,
  NotFoundError,
  ReservationExpiredError,
  recoveryFor,
  TransportError,
} from '@agentpmt-kit/error-recovery'
import {
  CompletionAlreadySentError,
  CompletionUnknownError,
  InvalidArgumentError,
  InvalidResponseError,
  JournalEntryError,
  ProofCheckError,
  ReservationDeadlineError,
  SecretInRequestError,
  SignatureRejectedError,
  WorkflowTokenMissingError,
} from '@agentpmt-kit/jobs-client'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import * as z from 'zod'
import type { Redactor } from './redact.js'

const failureCodes = [
  'invalid_input',
  'not_configured',
  'proof_invalid',
  'not_reserved_here',
  'deadline_passed',
  'already_submitted',
  'outcome_unknown',
  'busy',
  'job_taken',
  'not_found',
  'not_a_workflow_job',
  'workflow_token_missing',
  'signature_rejected',
  'refused',
  'retry_later',
  'network_error',
  'invalid_response',
  'journal_error',
  'nothing_to_diagnose',
  'internal_error',
] as const

/** Why a tool call failed, in words a model can act on. */
export type FailureCode = (typeof failureCodes)[number]

/**
 * What a failed tool call answers: as text, as JSON in a second text block, and as the
 * `structuredContent` `{ error: Failure }`.
 */
export type Failure = {
  code: FailureCode
  message: string
  /** Each field of the tool's input that is wrong, and what is wrong with it. */
  problems?: { field: string; problem: string }[] | undefined
  next_step: string
  /** The server's `error_code`, HTTP status and checklist when it refused the request. */
  error_code?: string | undefined
  http_status?: number | undefined
  checklist?: string[] | undefined
}

const failureSchema: z.ZodType<Failure> = z.object({
  code: z.enum(failureCodes).describe('Why the call failed.'),
  message: z.string().describe('What went wrong.'),
  problems: z
    .array(z.object({ field: z.string(), problem: z.string() }))
    .optional()
    .describe('Each field of the input that is wrong, and what is wrong with it.'),
  next_step: z.string().describe('What to do now.'),
  error_code: z.string().optional().describe("The server's error_code, when it refused."),
  http_status: z.number().optional().describe('The HTTP status of the refusal.'),
  checklist: z.array(z.string()).optional().describe("The server's checklist for the refusal."),
})

/** Thrown by tool handlers for a failure they describe themselves. */
export class ToolFailure extends Error {
  override name = 'Mcp.ToolFailure'
  readonly failure: Failure
  constructor(failure: Failure) {
    super(failure.message)
    this.failure = failure
  }
}

const lapse =
  'Stop working on this job and let the reservation lapse; do not submit anything for it. Pick another job with list_jobs.'

/** The failure a model is told about for anything a tool handler threw. */
export function failureOf(error: unknown): Failure {
  if (error instanceof ToolFailure) return error.failure
  const message = messageOf(error)
  if (error instanceof ProofCheckError)
    return {
      code: 'proof_invalid',
      message: 'The proof would be refused; nothing was sent.',
      problems: error.issues.map((issue) => ({
        field: inputField(issue.path),
        problem: issue.reason,
      })),
      next_step:
        'Fix each field listed and call complete_job again before the safety deadline. If the work itself is not done, do not submit: let the reservation lapse.',
    }
  if (error instanceof ReservationDeadlineError || error instanceof ReservationExpiredError)
    return {
      code: 'deadline_passed',
      message: `${message} Nothing was submitted.`,
      next_step: lapse,
      ...apiFields(error),
    }
  if (error instanceof CompletionAlreadySentError)
    return error.reason === 'in-progress'
      ? {
          code: 'busy',
          message,
          next_step: 'Wait for the other call to finish, then call job_status.',
        }
      : {
          code: error.reason === 'submitted' ? 'already_submitted' : 'outcome_unknown',
          message,
          next_step: 'Do not submit again: follow the submission with job_status.',
        }
  if (error instanceof CompletionUnknownError)
    return {
      code: 'outcome_unknown',
      message,
      next_step:
        'Do not submit again now: call job_status for this job; it tells whether the server holds the submission.',
    }
  if (error instanceof JobAlreadySubmittedError)
    return {
      code: 'already_submitted',
      message,
      next_step: 'Follow the submission with job_status.',
      ...apiFields(error),
    }
  if (error instanceof JobAlreadyReservedError)
    return {
      code: 'job_taken',
      message,
      next_step: 'Another wallet holds this job: pick another one with list_jobs.',
      ...apiFields(error),
    }
  if (error instanceof NotFoundError)
    return {
      code: 'not_found',
      message,
      next_step: 'Check the job_id with list_jobs.',
      ...apiFields(error),
    }
  if (error instanceof SignatureRejectedError)
    return {
      code: 'signature_rejected',
      message: `${message} ${error.diagnosis.summary}`,
      next_step:
        'This is a problem of the signer or the server configuration, not of your input: do not retry. Call diagnose_refusal for details and tell the operator.',
    }
  if (error instanceof WorkflowTokenMissingError)
    return {
      code: 'workflow_token_missing',
      message,
      next_step:
        'If this is a workflow job reserved before the server restarted, call reserve_job again for it: a wallet asking again for a job it holds gets its reservation back, with its workflow token.',
    }
  if (error instanceof SecretInRequestError)
    return {
      code: 'invalid_input',
      message: messageOf(error),
      problems: [
        {
          // The URL path holds nothing but the job id.
          field: error.field === 'path' ? 'job_id' : inputField(error.field),
          problem: 'holds the private key: never put the key in a tool argument',
        },
      ],
      next_step: 'Use the job_id from list_jobs and your own proof; the key stays with the signer.',
    }
  if (error instanceof InvalidArgumentError)
    return {
      code: 'invalid_input',
      message,
      problems: [{ field: error.argument, problem: error.details ?? error.shortMessage }],
      next_step: 'Fix the field and call the tool again.',
    }
  if (error instanceof InvalidResponseError)
    return {
      code: 'invalid_response',
      message,
      next_step:
        'The server answered something unreadable. Call job_status for this job before anything else: the job may now be held by this wallet.',
    }
  if (error instanceof JournalEntryError)
    return {
      code: 'journal_error',
      message,
      next_step: 'Tell the operator: the state folder of the server needs attention.',
    }
  if (error instanceof ApiError) {
    const recovery = recoveryFor(error)
    return {
      code: recovery === 'retry-later' ? 'retry_later' : 'refused',
      message,
      next_step:
        recovery === 'retry-later'
          ? 'The server is busy or failing: wait a little and call the tool again.'
          : 'Read the checklist, fix what it names and try again; call diagnose_refusal for details.',
      ...apiFields(error),
    }
  }
  if (error instanceof TransportError)
    return {
      code: 'network_error',
      message,
      next_step: 'The server could not be reached: wait a little and call the tool again.',
    }
  return {
    code: 'internal_error',
    message,
    next_step: 'Tell the operator; the server log (stderr) has a line for this call.',
  }
}

function messageOf(error: unknown): string {
  if (error instanceof BaseError)
    return [error.shortMessage, error.details].filter((part) => part).join(' ')
  return error instanceof Error ? error.message : String(error)
}

function apiFields(error: unknown): Partial<Failure> {
  if (!(error instanceof ApiError)) return {}
  return {
    http_status: error.status,
    ...(error.errorCode === undefined ? {} : { error_code: error.errorCode }),
    ...(error.errorDetails.checklist.length === 0
      ? {}
      : { checklist: [...error.errorDetails.checklist] }),
  }
}

/** A path of the completion body, as the field of `complete_job`'s input that holds it. */
export function inputField(path: string): string {
  return path.replace(/^social_posts\[0\]/, 'social_post').replace(/^social_posts$/, 'social_post')
}

/** The lines of text a model reads for a failure. */
export function failureText(failure: Failure): string {
  const lines = [`Error (${failure.code}): ${failure.message}`]
  for (const problem of failure.problems ?? []) lines.push(`- ${problem.field}: ${problem.problem}`)
  if (failure.error_code !== undefined || failure.http_status !== undefined)
    lines.push(
      `Server answer: ${[failure.http_status, failure.error_code].filter((part) => part !== undefined).join(' ')}`,
    )
  for (const item of failure.checklist ?? []) lines.push(`- ${item}`)
  lines.push(`Next: ${failure.next_step}`)
  return lines.join('\n')
}

/**
 * The result of a failed call: `isError`, the text a model reads, the same failure as JSON text
 * (for hosts that show text only), and as `structuredContent` `{ error }`, which every tool's
 * output schema admits beside its own result.
 */
export function errorResult(failure: Failure, redact: Redactor): CallToolResult {
  const structured = redact.value({ error: failure })
  return {
    isError: true,
    content: [
      { type: 'text', text: redact.text(failureText(failure)) },
      { type: 'text', text: JSON.stringify(structured) },
    ],
    structuredContent: structured,
  }
}

/**
 * A tool's output schema that admits its error results too: either the tool's own result
 * (`shape`), or `{ error }` alone (`failureSchema`), the `structuredContent` of a failed call.
 * Clients that validate an error's structured content against the output schema (the v1 SDK's
 * `callTool` does) accept it, and a success is held to `shape` as before.
 *
 * The root stays one JSON Schema object, as MCP requires: the success fields and `error` as
 * optional properties, and a `oneOf` that requires either every required success field or
 * `error`. The same rule is checked here, for the SDK's validation of a success.
 */
export function withErrorResult(shape: Readonly<Record<string, z.ZodType>>): z.ZodObject {
  const success = z.object(shape)
  const required = Object.keys(shape).filter((key) => !shape[key]?.safeParse(undefined).success)
  const optional = Object.fromEntries(
    Object.entries(shape).map(([key, field]) => [key, field.optional()]),
  )
  return z
    .object({ ...optional, error: failureSchema.optional() })
    .superRefine((value, context) => {
      const { error, ...rest } = value
      const valid =
        error === undefined ? success.safeParse(value).success : Object.keys(rest).length === 0
      if (!valid)
        context.addIssue({
          code: 'custom',
          message: 'must be the result of the tool, or { error } alone',
        })
    })
    .meta({ oneOf: [{ required }, { required: ['error'] }] })
}
