import { buildMessage, InvalidMessageFieldError } from './message.js'
import { envelopeFields } from './payload.js'
import { fieldProblem } from './rules.js'

/**
 * The actions of the job endpoints, as written on the `action:` line.
 *
 * @example
 * ```ts
 * import { jobActions } from '@agentpmt-kit/message-builder'
 *
 * jobActions.reserve // 'job_reserve'
 * ```
 */
export const jobActions: {
  readonly list: 'job_list'
  readonly reserve: 'job_reserve'
  readonly complete: 'job_complete'
  readonly status: 'job_status'
} = {
  list: 'job_list',
  reserve: 'job_reserve',
  complete: 'job_complete',
  status: 'job_status',
} as const

/**
 * Who signs and with which session and request id: the first three lines of every message.
 *
 * @example
 * ```ts
 * import type { Signing } from '@agentpmt-kit/message-builder'
 *
 * const signing: Signing = { wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', session: 'nonce', request: 'req-1' }
 * ```
 */
export type Signing = { wallet: string; session: string; request: string }

/**
 * The message of `POST /api/external/jobs/list`: `action:job_list`, `product:-`, payload
 * `{ limit, skip }`.
 *
 * @example
 * ```ts
 * import { jobListMessage } from '@agentpmt-kit/message-builder'
 *
 * jobListMessage({ wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', session: 's', request: 'r' }, { limit: 50, skip: 0 })
 * ```
 */
export function jobListMessage(signing: Signing, page: { limit: number; skip: number }): string {
  for (const field of ['limit', 'skip'] as const)
    if (!Number.isSafeInteger(page?.[field]) || page[field] < 0)
      throw new InvalidMessageFieldError({
        field,
        reason: 'must be a whole number from 0 up (it is hashed as sent)',
      })
  return buildMessage({
    ...signing,
    scope: { action: jobActions.list },
    payload: { limit: page.limit, skip: page.skip },
  })
}

/**
 * The message of `POST /api/external/jobs/{jobId}/reserve`: product is the job id, payload `{}`.
 *
 * @example
 * ```ts
 * import { jobReserveMessage } from '@agentpmt-kit/message-builder'
 *
 * jobReserveMessage({ wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', session: 's', request: 'r' }, 'job_1')
 * ```
 */
export function jobReserveMessage(signing: Signing, jobId: string): string {
  return buildMessage({
    ...signing,
    scope: { action: jobActions.reserve, product: jobProduct(jobId) },
    payload: {},
  })
}

/**
 * The message of `POST /api/external/jobs/{jobId}/complete`: the payload is the completion body
 * that is sent, e.g. `{ proof_text, reservation_id, social_posts }` or with `workflow_id`.
 *
 * @example
 * ```ts
 * import { jobCompleteMessage } from '@agentpmt-kit/message-builder'
 *
 * jobCompleteMessage(
 *   { wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', session: 's', request: 'r' },
 *   'job_1',
 *   { proof_text: 'Published the post.', reservation_id: 'res_1', workflow_id: 'wf_1' },
 * )
 * ```
 */
export function jobCompleteMessage(
  signing: Signing,
  jobId: string,
  completion: Readonly<Record<string, unknown>>,
): string {
  const envelopeField = envelopeFields.find((name) => Object.hasOwn(completion ?? {}, name))
  if (envelopeField !== undefined)
    throw new InvalidMessageFieldError({
      field: 'payload',
      reason: `must not contain the envelope field "${envelopeField}", which is never hashed (see payloadOf)`,
    })
  return buildMessage({
    ...signing,
    scope: { action: jobActions.complete, product: jobProduct(jobId) },
    payload: completion,
  })
}

/** The `product:` of a job endpoint: the job id, which `-` (no product) cannot stand for. */
function jobProduct(jobId: unknown): string {
  const problem = fieldProblem('jobId', jobId)
  if (problem !== undefined)
    throw new InvalidMessageFieldError({ field: 'jobId', reason: `must ${problem}` })
  return jobId as string
}

/**
 * The message of `POST /api/external/jobs/{jobId}/status`: product is the job id, payload `{}`.
 *
 * @example
 * ```ts
 * import { jobStatusMessage } from '@agentpmt-kit/message-builder'
 *
 * jobStatusMessage({ wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', session: 's', request: 'r' }, 'job_1')
 * ```
 */
export function jobStatusMessage(signing: Signing, jobId: string): string {
  return buildMessage({
    ...signing,
    scope: { action: jobActions.status, product: jobProduct(jobId) },
    payload: {},
  })
}

/**
 * The message of `POST /api/external/credits/balance`: `action:balance`, `product:-` and an empty
 * `payload:` line, the one endpoint without a payload object.
 *
 * @example
 * ```ts
 * import { balanceMessage } from '@agentpmt-kit/message-builder'
 *
 * balanceMessage({ wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', session: 's', request: 'r' })
 * ```
 */
export function balanceMessage(signing: Signing): string {
  return buildMessage({ ...signing, scope: { action: 'balance' }, payload: null })
}

/**
 * The message of a tool invoke: `method:POST`, `path:` the canonical invoke path, payload the
 * `parameters` object (only that object is hashed, never the envelope beside it).
 *
 * @example
 * ```ts
 * import { toolInvokeMessage } from '@agentpmt-kit/message-builder'
 *
 * toolInvokeMessage(
 *   { wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', session: 's', request: 'r' },
 *   { path: '/external/tools/web-search/actions/search/invoke', parameters: { query: 'agents' } },
 * )
 * ```
 */
export function toolInvokeMessage(
  signing: Signing,
  invoke: {
    path: string
    parameters: Readonly<Record<string, unknown>>
    method?: string | undefined
  },
): string {
  return buildMessage({
    ...signing,
    scope: { method: invoke.method ?? 'POST', path: invoke.path },
    payload: invoke.parameters,
  })
}
