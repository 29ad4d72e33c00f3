import { type WorkflowDefinition, workflowTokenHeader } from '@agentpmt-kit/message-builder'
import type { Context, Hono, MiddlewareHandler } from 'hono'
import type { RouteName } from '../faults.js'
import {
  invalidField,
  noSuch,
  pathId,
  readBody,
  type Sandbox,
  sendError,
} from '../internal/context.js'

/** Workflow create and publish, authorized by the reservation's workflow token. */
export function workflowRoutes(
  app: Hono,
  sandbox: Sandbox,
  fault: (route: RouteName) => MiddlewareHandler,
): void {
  const { store } = sandbox
  const header = sandbox.workflowTokenHeader ?? workflowTokenHeader
  const tokenOf = (c: Context): string =>
    /^Bearer\s+(\S+)$/i.exec(c.req.header(header)?.trim() ?? '')?.[1] ?? ''
  // A server that reads the token from Authorization refuses a request without it as DRF does.
  const unauthenticated = (c: Context): Response | undefined =>
    header.toLowerCase() === 'authorization' && tokenOf(c) === ''
      ? c.json({ detail: 'Authentication credentials were not provided.' }, 401, {
          'www-authenticate': 'Bearer',
        })
      : undefined

  app.post('/api/external/jobs/:jobId/workflow/create', fault('workflowCreate'), async (c) => {
    const refused = unauthenticated(c)
    if (refused) return refused
    const jobId = pathId(c, 'jobId', 'jobId')
    if (jobId === undefined) return sendError(c, noSuch('job'))
    const body = await readBody(c, sandbox)
    if (!body.ok) return sendError(c, body.error)
    const { name, description, nodes, edges } = body.value
    if (typeof name !== 'string' || name === '')
      return sendError(c, invalidField('name', 'must be a non-empty string'))
    if (typeof description !== 'string')
      return sendError(c, invalidField('description', 'must be a string'))
    if (!Array.isArray(nodes)) return sendError(c, invalidField('nodes', 'must be an array'))
    if (!Array.isArray(edges)) return sendError(c, invalidField('edges', 'must be an array'))
    const definition: WorkflowDefinition = { name, description, nodes, edges }
    const token = tokenOf(c)
    const result = store.createWorkflow(token, jobId, definition)
    return result.ok ? c.json(result.value) : sendError(c, result.error)
  })

  app.post(
    '/api/external/jobs/:jobId/workflow/:workflowId/publish',
    fault('workflowPublish'),
    async (c) => {
      const refused = unauthenticated(c)
      if (refused) return refused
      const jobId = pathId(c, 'jobId', 'jobId')
      const workflowId = pathId(c, 'workflowId')
      if (jobId === undefined) return sendError(c, noSuch('job'))
      if (workflowId === undefined) return sendError(c, noSuch('workflow'))
      const body = await readBody(c, sandbox, true)
      if (!body.ok) return sendError(c, body.error)
      const token = tokenOf(c)
      const result = store.publishWorkflow(token, jobId, workflowId)
      return result.ok ? c.json(result.value) : sendError(c, result.error)
    },
  )
}
