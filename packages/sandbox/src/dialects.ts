import { BaseError } from '@agentpmt-kit/canonical-json'
import { workflowTokenHeader } from '@agentpmt-kit/message-builder'
import { agentSkill } from './dialects/agentSkill.js'
import { authorizationHeader } from './dialects/authorizationHeader.js'
import { clockBehind } from './dialects/clockBehind.js'
import { expiresInOnly } from './dialects/expiresInOnly.js'
import { floatJson, isObject } from './dialects/json.js'
import { linkObjects } from './dialects/linkObjects.js'
import { minimal } from './dialects/minimal.js'
import { nestedReservation } from './dialects/nestedReservation.js'
import { nullsAndExtras } from './dialects/nullsAndExtras.js'
import { otherErrorCodes } from './dialects/otherErrorCodes.js'
import { proxyErrors } from './dialects/proxyErrors.js'
import { pythonTimestamps } from './dialects/pythonTimestamps.js'
import type { Dialect, DialectAnswer, DialectContext } from './dialects/types.js'
import type { RouteName } from './faults.js'

/**
 * The name of a way to answer that a real server may choose within the public guides (see the
 * sandbox guide's table): `default` is the sandbox's own, the others rewrite its answers at the
 * HTTP edge. Requests are verified the same way in every dialect.
 *
 * @example
 * ```ts
 * import type { SandboxDialect } from '@agentpmt-kit/sandbox'
 *
 * const dialect: SandboxDialect = 'expires-in-only'
 * ```
 */
export type SandboxDialect =
  | 'default'
  | 'python-timestamps'
  | 'nulls-and-extras'
  | 'expires-in-only'
  | 'nested-reservation'
  | 'link-objects'
  | 'agent-skill'
  | 'minimal'
  | 'other-error-codes'
  | 'proxy-errors'
  | 'clock-behind'
  | 'authorization-header'

/**
 * Every {@link SandboxDialect}, `default` first: for test matrices.
 *
 * @example
 * ```ts
 * import { sandboxDialects, startSandbox } from '@agentpmt-kit/sandbox'
 *
 * for (const dialect of sandboxDialects) {
 *   const sandbox = await startSandbox({ dialect })
 *   // ... run the client against sandbox.url ...
 *   await sandbox.close()
 * }
 * ```
 */
export const sandboxDialects: readonly SandboxDialect[] = [
  'default',
  'python-timestamps',
  'nulls-and-extras',
  'expires-in-only',
  'nested-reservation',
  'link-objects',
  'agent-skill',
  'minimal',
  'other-error-codes',
  'proxy-errors',
  'clock-behind',
  'authorization-header',
]

const definitions: { readonly [name in SandboxDialect]: Dialect } = {
  default: {},
  'python-timestamps': pythonTimestamps,
  'nulls-and-extras': nullsAndExtras,
  'expires-in-only': expiresInOnly,
  'nested-reservation': nestedReservation,
  'link-objects': linkObjects,
  'agent-skill': agentSkill,
  minimal,
  'other-error-codes': otherErrorCodes,
  'proxy-errors': proxyErrors,
  'clock-behind': clockBehind,
  'authorization-header': authorizationHeader,
}

/**
 * A dialect name that does not exist; its message lists the valid ones
 * ({@link sandboxDialects}).
 *
 * @example
 * ```ts
 * import { createSandboxApp, UnknownDialectError } from '@agentpmt-kit/sandbox'
 *
 * try {
 *   createSandboxApp({ dialect: 'django' as never })
 * } catch (error) {
 *   if (error instanceof UnknownDialectError) console.error(error.dialect, error.validDialects)
 * }
 * ```
 */
export class UnknownDialectError extends BaseError {
  override name = 'Sandbox.UnknownDialectError'
  /** The name that was given. */
  readonly dialect: string
  /** Every valid name. */
  readonly validDialects: readonly SandboxDialect[] = sandboxDialects
  constructor(dialect: unknown) {
    const shown = typeof dialect === 'string' ? `"${dialect}"` : String(dialect)
    super(`Unknown sandbox dialect ${shown}.`, {
      details: `Valid dialects: ${sandboxDialects.join(', ')}.`,
      docsPath: '/documents/Sandbox.html#dialects',
    })
    this.dialect = String(dialect)
  }
}

/** The dialects to apply, in order, without `default`; throws for an unknown name. */
export function resolveDialects(
  dialect: SandboxDialect | readonly SandboxDialect[] | undefined,
): readonly Dialect[] {
  const names: readonly unknown[] =
    dialect === undefined ? [] : typeof dialect === 'string' ? [dialect] : dialect
  if (!Array.isArray(names)) throw new UnknownDialectError(dialect)
  const resolved: Dialect[] = []
  for (const name of names) {
    if (typeof name !== 'string' || !Object.hasOwn(definitions, name))
      throw new UnknownDialectError(name)
    if (name !== 'default') resolved.push(definitions[name as SandboxDialect])
  }
  return resolved
}

/** What the dialects change besides answers: the clock's offset, the workflow token's header. */
export function dialectSettings(dialect: SandboxDialect | readonly SandboxDialect[] | undefined): {
  clockOffsetMs: number | undefined
  workflowTokenHeader: string
} {
  // The last dialect that sets a value wins, as with rewrites applied in order.
  const dialects = [...resolveDialects(dialect)].reverse()
  return {
    clockOffsetMs: dialects.find((entry) => entry.clockOffsetMs !== undefined)?.clockOffsetMs,
    workflowTokenHeader:
      dialects.find((entry) => entry.workflowTokenHeader !== undefined)?.workflowTokenHeader ??
      workflowTokenHeader,
  }
}

/** What the layer needs from the sandbox to give the dialects their context. */
export type DialectSources = Omit<DialectContext, 'route' | 'now' | 'request'> & {
  now(): number
}

/**
 * The HTTP edge of the dialects: `before` answers a request ahead of its route (a proxy), and
 * `after` rewrites the route's answer. Absent for the default dialect, which is never touched.
 */
export type DialectLayer = {
  before(route: RouteName): Response | undefined
  /** Whether the route's rewrite reads the request's body (then pass a clone to `after`). */
  readsRequest(route: RouteName): boolean
  after(route: RouteName, response: Response, request: Request | undefined): Promise<Response>
}

/** The layer of `dialect`, or undefined when nothing is to be rewritten. */
export function createDialectLayer(
  dialect: SandboxDialect | readonly SandboxDialect[] | undefined,
  sources: DialectSources,
): DialectLayer | undefined {
  const dialects = resolveDialects(dialect).filter((entry) => entry.rewrite || entry.before)
  if (dialects.length === 0) return undefined
  const counts = new Map<RouteName, number>()
  return {
    before(route) {
      const count = (counts.get(route) ?? 0) + 1
      counts.set(route, count)
      for (const entry of dialects) {
        const answer = entry.before?.(route, count)
        if (answer) return toResponse(answer)
      }
      return undefined
    },
    readsRequest: (route) => dialects.some((entry) => entry.readsRequest?.includes(route)),
    async after(route, response, request) {
      const text = await response.text()
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        await request?.body?.cancel()
        return new Response(text, response)
      }
      const ok = response.status >= 200 && response.status < 300
      const context: DialectContext = {
        ...sources,
        route,
        now: sources.now(),
        request: ok && request ? await jsonObjectOf(request) : undefined,
      }
      if (!ok) await request?.body?.cancel()
      let answer: DialectAnswer = {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body,
      }
      for (const entry of dialects) if (entry.rewrite) answer = entry.rewrite(answer, context)
      return toResponse(answer)
    },
  }
}

async function jsonObjectOf(request: Request): Promise<DialectContext['request']> {
  try {
    const value: unknown = JSON.parse(await request.text())
    return isObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

function toResponse(answer: DialectAnswer): Response {
  const headers = new Headers(answer.headers)
  if (answer.text !== undefined)
    return new Response(answer.text, { status: answer.status, headers })
  headers.set('content-type', 'application/json')
  headers.delete('content-length')
  const text = answer.floats ? floatJson(answer.body) : JSON.stringify(answer.body)
  return new Response(text, { status: answer.status, headers })
}
