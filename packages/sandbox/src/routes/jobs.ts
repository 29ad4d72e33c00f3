import { apiPaths, isAddress, jobActions, payloadOf } from '@agentpmt-kit/message-builder'
import type { Hono, MiddlewareHandler } from 'hono'
import type { ErrorReply } from '../errorBody.js'
import type { RouteName } from '../faults.js'
import {
  authorize,
  invalidField,
  noSuch,
  pathId,
  readBody,
  type Sandbox,
  sendError,
  ticketOf,
} from '../internal/context.js'

const maxPageSize = 100

/** Session, list, reserve, complete and status. */
export function jobRoutes(
  app: Hono,
  sandbox: Sandbox,
  fault: (route: RouteName) => MiddlewareHandler,
): void {
  const { store } = sandbox

  app.post(apiPaths.session, fault('session'), async (c) => {
    const body = await readBody(c, sandbox)
    if (!body.ok) return sendError(c, body.error)
    const wallet = body.value.wallet_address
    if (!isAddress(wallet))
      return sendError(
        c,
        invalidField('wallet_address', 'must be 0x followed by 40 hexadecimal characters'),
      )
    const session = store.createSession(wallet)
    return session.ok ? c.json(session.value) : sendError(c, session.error)
  })

  app.post(apiPaths.list, fault('list'), async (c) => {
    const body = await readBody(c, sandbox)
    if (!body.ok) return sendError(c, body.error)
    const payload = payloadOf(body.value)
    const page = pageOf(payload)
    if ('status' in page) return sendError(c, page)
    const auth = await authorize(
      sandbox,
      body.value,
      { action: jobActions.list, product: '-' },
      payload,
      ticketOf(c),
    )
    if (!auth.ok) return sendError(c, auth.error)
    return c.json(store.listJobs(auth.wallet, page))
  })

  app.post('/api/external/jobs/:jobId/reserve', fault('reserve'), async (c) => {
    const jobId = pathId(c, 'jobId', 'jobId')
    if (jobId === undefined) return sendError(c, noSuch('job'))
    const body = await readBody(c, sandbox)
    if (!body.ok) return sendError(c, body.error)
    const scope = { action: jobActions.reserve, product: jobId }
    const auth = await authorize(sandbox, body.value, scope, payloadOf(body.value), ticketOf(c))
    if (!auth.ok) return sendError(c, auth.error)
    const result = store.reserve(auth.wallet, jobId)
    return result.ok ? c.json(result.value) : sendError(c, result.error)
  })

  app.post('/api/external/jobs/:jobId/complete', fault('complete'), async (c) => {
    const jobId = pathId(c, 'jobId', 'jobId')
    if (jobId === undefined) return sendError(c, noSuch('job'))
    const body = await readBody(c, sandbox)
    if (!body.ok) return sendError(c, body.error)
    const payload = payloadOf(body.value)
    const problem = completionProblem(payload)
    if (problem) return sendError(c, problem)
    const scope = { action: jobActions.complete, product: jobId }
    const auth = await authorize(sandbox, body.value, scope, payload, ticketOf(c))
    if (!auth.ok) return sendError(c, auth.error)
    const result = store.complete(auth.wallet, jobId, payload)
    return result.ok ? c.json(result.value) : sendError(c, result.error)
  })

  app.post('/api/external/jobs/:jobId/status', fault('status'), async (c) => {
    const jobId = pathId(c, 'jobId', 'jobId')
    if (jobId === undefined) return sendError(c, noSuch('job'))
    const body = await readBody(c, sandbox)
    if (!body.ok) return sendError(c, body.error)
    const scope = { action: jobActions.status, product: jobId }
    const auth = await authorize(sandbox, body.value, scope, payloadOf(body.value), ticketOf(c))
    if (!auth.ok) return sendError(c, auth.error)
    const result = store.status(auth.wallet, jobId)
    return result.ok ? c.json(result.value) : sendError(c, result.error)
  })
}

function pageOf(payload: Record<string, unknown>): { limit: number; skip: number } | ErrorReply {
  const { limit = 50, skip = 0 } = payload
  if (!Number.isSafeInteger(limit) || (limit as number) < 1 || (limit as number) > maxPageSize)
    return invalidField('limit', `must be an integer from 1 to ${maxPageSize}`)
  if (!Number.isSafeInteger(skip) || (skip as number) < 0)
    return invalidField('skip', 'must be a non-negative integer')
  return { limit: limit as number, skip: skip as number }
}

function completionProblem(payload: Record<string, unknown>): ErrorReply | undefined {
  for (const field of ['proof_text', 'reservation_id'] as const)
    if (typeof payload[field] !== 'string' || payload[field] === '')
      return invalidField(field, 'must be a non-empty string')
  if (payload.social_posts !== undefined && !Array.isArray(payload.social_posts))
    return invalidField('social_posts', 'must be an array')
  if (payload.workflow_id !== undefined && typeof payload.workflow_id !== 'string')
    return invalidField('workflow_id', 'must be a string')
  return undefined
}
