import { apiPaths, type ToolInvokeResponse, toolInvokePath } from '@agentpmt-kit/message-builder'
import type { Hono, MiddlewareHandler } from 'hono'
import { errorReply } from '../errorBody.js'
import type { RouteName } from '../faults.js'
import {
  authorize,
  invalidField,
  readBody,
  type Sandbox,
  sendError,
  ticketOf,
} from '../internal/context.js'

const slugPattern = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/

/** Tool invoke (method/path scope, only `parameters` hashed) and the credit balance. */
export function toolRoutes(
  app: Hono,
  sandbox: Sandbox,
  fault: (route: RouteName) => MiddlewareHandler,
): void {
  const { store } = sandbox

  app.post(
    '/api/external/tools/:productSlug/actions/:actionSlug/invoke',
    fault('toolInvoke'),
    async (c) => {
      const productSlug = c.req.param('productSlug')
      const actionSlug = c.req.param('actionSlug')
      const tool = sandbox.tools.find(
        (candidate) =>
          slugPattern.test(productSlug) &&
          slugPattern.test(actionSlug) &&
          candidate.productSlug.toLowerCase() === productSlug.toLowerCase() &&
          candidate.actionSlug.toLowerCase() === actionSlug.toLowerCase(),
      )
      if (!tool)
        return sendError(
          c,
          errorReply('EXTERNAL_NOT_FOUND', {
            detail: `No tool ${productSlug}/${actionSlug}.`,
            details: {
              tools: sandbox.tools.map((entry) => `${entry.productSlug}/${entry.actionSlug}`),
            },
          }),
        )
      const body = await readBody(c, sandbox)
      if (!body.ok) return sendError(c, body.error)
      const { parameters } = body.value
      if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))
        return sendError(c, invalidField('parameters', 'must be a JSON object'))
      const path = new URL(c.req.url).pathname
      const auth = await authorize(
        sandbox,
        body.value,
        { method: 'POST', path, registeredPath: toolInvokePath(tool.productSlug, tool.actionSlug) },
        parameters as Record<string, unknown>,
        ticketOf(c),
      )
      if (!auth.ok) return sendError(c, auth.error)
      const outcome = tool.run(parameters as Record<string, unknown>)
      if ('problem' in outcome)
        return sendError(
          c,
          errorReply('EXTERNAL_REQUEST_INVALID', {
            detail: outcome.problem,
            details: { field: 'parameters' },
          }),
        )
      const charged = store.charge(auth.wallet, tool.costCredits)
      if (!charged.ok) return sendError(c, charged.error)
      const answer: ToolInvokeResponse = {
        product_slug: tool.productSlug,
        action_slug: tool.actionSlug,
        result: outcome.result,
        credits_charged: tool.costCredits,
        credits_remaining: charged.value,
      }
      return c.json(answer)
    },
  )

  app.post(apiPaths.balance, fault('balance'), async (c) => {
    const body = await readBody(c, sandbox)
    if (!body.ok) return sendError(c, body.error)
    const scope = { action: 'balance', product: '-' }
    const auth = await authorize(sandbox, body.value, scope, null, ticketOf(c))
    if (!auth.ok) return sendError(c, auth.error)
    return c.json({ wallet_address: auth.wallet, credits: store.balance(auth.wallet) })
  })
}
