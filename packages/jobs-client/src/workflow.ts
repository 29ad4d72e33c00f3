import { BaseError } from '@agentpmt-kit/canonical-json'
import { UnknownAuthError } from '@agentpmt-kit/error-recovery'
import { apiPaths, type WorkflowDefinition } from '@agentpmt-kit/message-builder'
import { readWorkflowAnswer, type WorkflowAnswer } from './answers.js'
import { checkPathSegment } from './arguments.js'
import { exchangeWith, safeToRepeat } from './exchange.js'
import { type ClientContext, logNotes } from './internal/context.js'
import type { Reservation } from './Reservation.js'

/**
 * `POST /jobs/{jobId}/workflow/create` with the reservation's workflow token. A lost connection
 * is not followed by a re-send here: without a request id the server could not tell it from a
 * second workflow.
 *
 * @internal
 */
export function createWorkflow(
  context: ClientContext,
  reservation: Reservation,
  workflow: WorkflowDefinition,
  signal?: AbortSignal | undefined,
): Promise<WorkflowAnswer> {
  const { name, description, nodes, edges } = workflow
  return tokenRequest(context, reservation, {
    path: apiPaths.workflowCreate(reservation.job_id),
    body: JSON.stringify({ name, description, nodes, edges }),
    resend: false,
    signal,
  })
}

/**
 * `POST /jobs/{jobId}/workflow/{workflowId}/publish` with the reservation's workflow token.
 *
 * @internal
 */
export async function publishWorkflow(
  context: ClientContext,
  reservation: Reservation,
  workflowId: string,
  signal?: AbortSignal | undefined,
): Promise<WorkflowAnswer> {
  checkPathSegment('workflowId', workflowId)
  return await tokenRequest(context, reservation, {
    path: apiPaths.workflowPublish(reservation.job_id, workflowId),
    body: '{}',
    resend: true,
    signal,
  })
}

/**
 * The token goes in one header of these two endpoints only, never in a URL, a log or an error.
 * The jobs guides name `X-Job-Workflow-Token: Bearer <token>`; AgentPMT's published agent skill
 * sends `Authorization: Bearer <token>`. After a 401 that is not a signature refusal (the server
 * did not find the token where it looks) the exchange tries the other header once; the one that
 * works is remembered for the client's later calls and logged as a guess.
 */
async function tokenRequest(
  context: ClientContext,
  reservation: Reservation,
  request: { path: string; body: string; resend: boolean; signal: AbortSignal | undefined },
): Promise<WorkflowAnswer> {
  const token = reservation.workflowToken
  if (token === undefined)
    throw new WorkflowTokenMissingError({ reservationId: reservation.reservation_id })
  const tried = context.workflowToken.header
  const result = await exchangeWith(context, {
    ...request,
    workflowToken: { token, header: tried },
    endpoint: 'workflow',
    // Publishing twice does no harm; creating twice would make two workflows: only the answers
    // that say the request was not handled (a gateway's 502 or 504 may come after the work).
    retryOn: request.resend ? safeToRepeat : [429, 503],
  })
  const taken = result.workflowTokenHeader
  if (taken !== undefined && taken !== tried && !(result.error instanceof UnknownAuthError)) {
    context.workflowToken.header = taken
    context.log({
      type: 'guess',
      path: request.path,
      field: 'workflow token header',
      guess: `${taken}: Bearer <token> (the server answered 401 to ${tried})`,
    })
  }
  if (!result.ok) throw result.error
  const { value, notes } = readWorkflowAnswer(result.body, { path: request.path })
  logNotes(context, request.path, notes)
  Object.defineProperty(value, 'raw', { value: result.body, enumerable: false })
  return value as WorkflowAnswer
}

/**
 * The reservation carries no workflow token: it is not a workflow job.
 *
 * @example
 * ```ts
 * import { WorkflowTokenMissingError } from '@agentpmt-kit/jobs-client'
 *
 * new WorkflowTokenMissingError({ reservationId: 'res_1' }).name // 'JobsClient.WorkflowTokenMissingError'
 * ```
 */
export class WorkflowTokenMissingError extends BaseError {
  override name = 'JobsClient.WorkflowTokenMissingError'
  constructor({ reservationId }: { reservationId: string }) {
    super('This reservation has no workflow token; it is not a workflow job.', {
      details: `Reservation ${reservationId} came without workflow_access.`,
      docsPath: '/documents/Run_the_job_loop.html#workflow-jobs',
    })
  }
}
