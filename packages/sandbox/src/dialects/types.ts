import type { RouteName } from '../faults.js'
import type { SandboxJob } from '../seedJobs.js'

/** A JSON object, as the dialects read and write answers. */
export type JsonObject = { [key: string]: unknown }

/**
 * One answer on its way out: a status, its headers and either a JSON body or a raw text body.
 * `floats` asks the edge to write every integer as a float (`10.0`).
 */
export type DialectAnswer = {
  status: number
  headers: Record<string, string>
  body: unknown
  /** A body that is not JSON (an HTML page, plain text); `body` is ignored when set. */
  text?: string | undefined
  floats?: boolean | undefined
}

/** What a rewrite may read besides the answer: all of it fixed before the rewrite runs. */
export type DialectContext = {
  route: RouteName
  /** The sandbox clock's time when the answer was made, ms since the epoch. */
  now: number
  /** The request's JSON body, on answers of 2xx only (the handler accepted it). */
  request: JsonObject | undefined
  jobs: readonly SandboxJob[]
  /** The wallet's credits as the store holds them now. */
  balance(wallet: string): number
}

/**
 * A dialect: `rewrite` maps an answer to another (pure: it reads only the answer and the
 * context); `before` may answer a request before its route runs, from the route's request count.
 */
export type Dialect = {
  rewrite?: ((answer: DialectAnswer, context: DialectContext) => DialectAnswer) | undefined
  before?: ((route: RouteName, count: number) => DialectAnswer | undefined) | undefined
  /** Routes whose rewrite reads `context.request`. */
  readsRequest?: readonly RouteName[] | undefined
  /** The sandbox clock's offset when the `clockOffsetMs` option does not give one. */
  clockOffsetMs?: number | undefined
  /** The one header the workflow endpoints read the token from (default `X-Job-Workflow-Token`). */
  workflowTokenHeader?: 'Authorization' | undefined
}
