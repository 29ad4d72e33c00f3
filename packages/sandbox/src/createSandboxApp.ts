import { workflowTokenHeader } from '@agentpmt-kit/message-builder'
import { Hono, type MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { createClock, type SandboxClock } from './clock.js'
import { createDialectLayer, dialectSettings } from './dialects.js'
import { type ErrorReply, errorReply } from './errorBody.js'
import { createFaults, type FaultController, type FaultDecision, type RouteName } from './faults.js'
import { createAdmissionGate } from './internal/admission.js'
import { admit, type Sandbox } from './internal/context.js'
import { type SandboxAppOptions, sandboxDefaults } from './options.js'
import { createRandom } from './random.js'
import { jobRoutes } from './routes/jobs.js'
import { toolRoutes } from './routes/tools.js'
import { workflowRoutes } from './routes/workflow.js'
import { defaultJobs, type VerificationOutcome } from './seedJobs.js'
import { createStore, type SandboxStore, type StoreSnapshot } from './store.js'
import { defaultTools } from './tools.js'
import type { RecoverSigner } from './verifySignature.js'

/**
 * Counts of the requests a sandbox has answered, for tests and load runs.
 *
 * @example
 * ```ts
 * import type { SandboxStats } from '@agentpmt-kit/sandbox'
 *
 * declare const stats: SandboxStats
 * stats.byStatus[200] ?? 0
 * ```
 */
export type SandboxStats = {
  /** Every request that reached the sandbox, answered or dropped. */
  requests: number
  byStatus: Record<number, number>
  byRoute: Partial<Record<RouteName | 'unknown', number>>
  /** Requests whose connection a `drop` fault closed after processing. */
  dropped: number
  /** Signed requests refused with 503 by load shedding (`maxQueueMs`, `maxPendingRequests`). */
  shed: number
  /** Signatures recovered on `startSandbox`'s worker threads (`signatureWorkers`); 0 in process. */
  recoveredOnWorkers: number
}

/**
 * Controls shared by {@link createSandboxApp} and `startSandbox`: the clock, the state and the
 * faults of one sandbox.
 *
 * @example
 * ```ts
 * import type { SandboxControls } from '@agentpmt-kit/sandbox'
 *
 * declare const sandbox: SandboxControls
 * sandbox.advance(30 * 60_000) // every reservation made before now has expired
 * sandbox.state().jobs.filter((job) => job.status === 'open')
 * ```
 */
export type SandboxControls = {
  clock: SandboxClock
  /** Moves the sandbox's time forward. */
  advance(ms: number): void
  /** A copy of the current state. */
  state(): StoreSnapshot
  store: SandboxStore
  faults: FaultController
  /** Sets how later submissions end: of every job, or of `jobId` only. */
  setVerificationOutcome(outcome: VerificationOutcome, jobId?: string): void
  stats(): SandboxStats
}

/**
 * The sandbox as an in-process app: `fetch` answers a `Request` (or a path and init, resolved
 * against `http://sandbox.local`) with no socket at all. A `drop` fault makes it reject with a
 * `TypeError`, as `fetch` does when a connection closes.
 *
 * @example
 * ```ts
 * import { createSandboxApp } from '@agentpmt-kit/sandbox'
 *
 * const sandbox = createSandboxApp({ verificationDelayMs: 0 })
 * const response = await sandbox.fetch('/api/external/auth/session', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ wallet_address: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' }),
 * })
 * ```
 */
export type SandboxApp = SandboxControls & {
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>
  /** The Hono app, for `@hono/node-server` or any other adapter. */
  app: Hono
}

/** Routes whose requests wait for a signature check, and so can be shed under load. */
const signedRoutes: ReadonlySet<RouteName> = new Set([
  'list',
  'reserve',
  'complete',
  'status',
  'toolInvoke',
  'balance',
])

/** Set by the drop fault on an answer that must never reach the client; adapters act on it. */
export const dropMarker = 'x-agentpmt-sandbox-drop'

/**
 * Makes the sandbox app: the whole external API of the protocol, verified for real, over the
 * options' jobs, tools, clock and faults.
 *
 * @example
 * ```ts
 * import { createSandboxApp } from '@agentpmt-kit/sandbox'
 *
 * const sandbox = createSandboxApp({ seed: 7 })
 * const response = await sandbox.fetch('/api/external/jobs/list', { method: 'POST', body: '{}' })
 * response.status // 400: the envelope fields are missing
 * ```
 */
export function createSandboxApp(options: SandboxAppOptions = {}): SandboxApp {
  return sandboxApp(options, { concurrency: 1 })
}

/**
 * How signed requests are checked: `recover` (signer-viem's, on the event loop, when absent) and
 * how many checks run at once (1 on the event loop; `startSandbox`'s worker pool takes more).
 */
export type SignatureChecks = { recover?: RecoverSigner | undefined; concurrency: number }

/** {@link createSandboxApp} with its signature checks given: `startSandbox` passes its pool. */
export function sandboxApp(options: SandboxAppOptions, checks: SignatureChecks): SandboxApp {
  const seed = options.seed ?? sandboxDefaults.seed
  const settings = dialectSettings(options.dialect)
  const clock = createClock(options.now, options.clockOffsetMs ?? settings.clockOffsetMs)
  const jobs = options.jobs ?? defaultJobs
  const store = createStore({
    jobs,
    clock,
    random: createRandom(seed),
    sessionTtlMs: options.sessionTtlMs ?? sandboxDefaults.sessionTtlMs,
    reservationTtlMs: options.reservationTtlMs ?? sandboxDefaults.reservationTtlMs,
    verificationDelayMs: options.verificationDelayMs ?? sandboxDefaults.verificationDelayMs,
    verificationOutcome: options.verificationOutcome ?? sandboxDefaults.verificationOutcome,
    startingCredits: options.startingCredits ?? sandboxDefaults.startingCredits,
    sessionGraceMs: options.sessionGraceMs ?? sandboxDefaults.sessionGraceMs,
    maxSessions: options.maxSessions ?? sandboxDefaults.maxSessions,
    maxSpentRequestIds: options.maxSpentRequestIds ?? sandboxDefaults.maxSpentRequestIds,
  })
  // Faults draw from their own stream, so that they repeat whatever ids the store has drawn.
  const faults = createFaults(
    options.faults ?? [],
    createRandom(seed === undefined ? undefined : seed ^ 0x5eed),
  )
  const stats: SandboxStats = {
    requests: 0,
    byStatus: {},
    byRoute: {},
    dropped: 0,
    shed: 0,
    recoveredOnWorkers: 0,
  }
  const sandbox: Sandbox = {
    store,
    clock,
    tools: options.tools ?? defaultTools,
    workflowTokenHeader: settings.workflowTokenHeader,
    maxBodyBytes: options.maxBodyBytes ?? sandboxDefaults.maxBodyBytes,
    maxJsonDepth: options.maxJsonDepth ?? sandboxDefaults.maxJsonDepth,
    gate: createAdmissionGate({
      maxQueueMs: options.maxQueueMs ?? sandboxDefaults.maxQueueMs,
      maxPending: options.maxPendingRequests ?? sandboxDefaults.maxPendingRequests,
      concurrency: checks.concurrency,
    }),
    recover: checks.recover,
  }
  // Dialects rewrite answers at this edge only: the store and the signature checks never see them.
  const dialects = createDialectLayer(options.dialect, {
    jobs,
    balance: (wallet) => store.balance(wallet),
    now: () => clock.now(),
  })
  const send = (error: ErrorReply): Response =>
    new Response(JSON.stringify(error.body), {
      status: error.status,
      headers: { 'content-type': 'application/json', ...error.headers },
    })

  const app = new Hono({ strict: false })
  const { onRequest } = options
  app.use(async (c, next) => {
    const started = performance.now()
    stats.requests += 1
    await next()
    // The sandbox's clock, which may be set off the real one (clockOffsetMs), not the host's.
    c.res.headers.set('date', new Date(clock.now()).toUTCString())
    const { status } = c.res
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1
    if (onRequest)
      onRequest({
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        status,
        ms: Math.round(performance.now() - started),
        ...(status >= 400 ? { errorCode: await errorCodeOf(c.res) } : {}),
      })
  })
  if (options.cors !== undefined)
    app.use(
      cors({
        origin: typeof options.cors === 'string' ? options.cors : [...options.cors],
        allowMethods: ['POST', 'OPTIONS'],
        allowHeaders: ['content-type', workflowTokenHeader, 'authorization'],
        // A browser client reads the server's clock from Date, which CORS hides unless exposed.
        exposeHeaders: ['retry-after', 'date'],
        maxAge: 600,
      }),
    )

  const fault =
    (route: RouteName): MiddlewareHandler =>
    async (c, next) => {
      stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1
      const proxied = dialects?.before(route)
      if (proxied) return proxied
      // A signed request takes its place at the signature checks before its body is read, so
      // that a request shed for load is answered at once and one admitted is never shed later.
      const admitted = signedRoutes.has(route) ? admit(c, sandbox) : undefined
      if (admitted && !('turn' in admitted)) {
        stats.shed += 1
        const answer = send(admitted)
        return dialects ? dialects.after(route, answer, undefined) : answer
      }
      try {
        const decision = faults.decide(route)
        if (decision.latencyMs > 0)
          await new Promise((done) => setTimeout(done, decision.latencyMs))
        const injected = injectedAnswer(route, decision)
        if (injected !== undefined) {
          const answer = c.json(
            injected.body,
            injected.status as ContentfulStatusCode,
            injected.headers,
          )
          return dialects ? dialects.after(route, answer, undefined) : answer
        }
        const request = dialects?.readsRequest(route) ? c.req.raw.clone() : undefined
        await next()
        if (dialects) {
          const rewritten = await dialects.after(route, c.res, request)
          // Unset first: Hono's setter would carry the old answer's headers over.
          c.res = undefined
          c.res = rewritten
        }
        if (decision.drop) {
          stats.dropped += 1
          c.res = new Response(null, { status: 204, headers: { [dropMarker]: '1' } })
        }
        return undefined
      } finally {
        admitted?.release()
      }
    }

  jobRoutes(app, sandbox, fault)
  workflowRoutes(app, sandbox, fault)
  toolRoutes(app, sandbox, fault)

  app.notFound((c) => {
    stats.byRoute.unknown = (stats.byRoute.unknown ?? 0) + 1
    return send(
      errorReply('EXTERNAL_NOT_FOUND', {
        detail: `No route ${c.req.method} ${new URL(c.req.url).pathname}; every endpoint of the external API takes POST.`,
      }),
    )
  })
  // Input never reaches here (the fuzz test holds it to that); a bug still gets the error body.
  app.onError(() => send(errorReply('EXTERNAL_INTERNAL_ERROR')))

  return {
    app,
    clock,
    advance: (ms) => clock.advance(ms),
    state: () => store.snapshot(),
    store,
    faults,
    setVerificationOutcome: (outcome, jobId) => store.setVerificationOutcome(outcome, jobId),
    stats: () => structuredClone(stats),
    async fetch(input, init) {
      const request =
        input instanceof Request ? input : new Request(new URL(input, 'http://sandbox.local'), init)
      const response = await app.fetch(request)
      if (response.headers.has(dropMarker))
        throw new TypeError('fetch failed', {
          cause: new Error('The sandbox dropped the connection.'),
        })
      return response
    },
  }
}

/** The answer a fault gives in place of the route's (an error status or a refusal), if any. */
function injectedAnswer(route: RouteName, decision: FaultDecision): ErrorReply | undefined {
  if (decision.status !== undefined) {
    const code =
      decision.status === 429
        ? 'EXTERNAL_RATE_LIMITED'
        : decision.status === 503
          ? 'EXTERNAL_SERVICE_UNAVAILABLE'
          : 'EXTERNAL_INTERNAL_ERROR'
    const error = errorReply(code, { detail: `Injected fault on ${route}.` })
    if (decision.retryAfterSeconds !== undefined)
      error.headers = { 'retry-after': String(decision.retryAfterSeconds) }
    return error
  }
  if (decision.refuse !== undefined)
    return errorReply(decision.refuse, { detail: `Injected refusal on ${route}.` })
  return undefined
}

/** The `error_code` of a JSON error answer, read from a copy; undefined for any other answer. */
async function errorCodeOf(response: Response): Promise<string | undefined> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return undefined
  try {
    const body: unknown = await response.clone().json()
    const code = (body as { error_code?: unknown } | null)?.error_code
    return typeof code === 'string' ? code : undefined
  } catch {
    return undefined
  }
}
