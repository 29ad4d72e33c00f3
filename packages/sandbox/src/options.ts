import { availableParallelism } from 'node:os'
import type { SandboxDialect } from './dialects.js'
import type { FaultRule } from './faults.js'
import type { SandboxJob, VerificationOutcome } from './seedJobs.js'
import type { SandboxTool } from './tools.js'

/**
 * Options of `createSandboxApp` (and of `startSandbox`, which adds `port` and `host`). Every
 * field has a default.
 *
 * @example
 * ```ts
 * import type { SandboxAppOptions } from '@agentpmt-kit/sandbox'
 *
 * const options: SandboxAppOptions = { verificationDelayMs: 0, verificationOutcome: 'rejected', seed: 7 }
 * const pythonServer: SandboxAppOptions = { dialect: ['python-timestamps', 'nulls-and-extras'] }
 * const serverTwoDaysBehind: SandboxAppOptions = { clockOffsetMs: -2 * 86_400_000 }
 * ```
 */
export type SandboxAppOptions = {
  /** Lifetime of a session nonce; 15 minutes by default. */
  sessionTtlMs?: number | undefined
  /** Lifetime of a reservation; 30 minutes by default. */
  reservationTtlMs?: number | undefined
  /** Time each verification phase (`queued`, `running`) lasts; 300 ms by default. */
  verificationDelayMs?: number | undefined
  /** How submissions end unless their job says otherwise; `verified` by default. */
  verificationOutcome?: VerificationOutcome | undefined
  /** The jobs served; `defaultJobs` by default. */
  jobs?: readonly SandboxJob[] | undefined
  /** The tools served; `defaultTools` by default. */
  tools?: readonly SandboxTool[] | undefined
  /** Credits of a wallet the sandbox has not seen yet; 100 by default. */
  startingCredits?: number | undefined
  /** The base clock in ms since the epoch; `Date.now` by default. `advance()` adds to it. */
  now?: (() => number) | undefined
  /**
   * How far the sandbox's clock is from the base clock, in ms (negative: behind), to test a
   * client against a server whose clock is off: every timestamp it writes and its `Date` header
   * follow it. 0 by default (or the dialect's, for `clock-behind`).
   */
  clockOffsetMs?: number | undefined
  /** Fault rules from the start; none by default. */
  faults?: readonly FaultRule[] | undefined
  /**
   * Seed of the random source behind nonces, ids, tokens and fault rates: the same seed and the
   * same requests give the same ids (for tests). Omitted (the default), they come from
   * `crypto.getRandomValues` and differ in every run.
   */
  seed?: number | undefined
  /** Largest request body accepted (413 beyond); 64 KiB by default. */
  maxBodyBytes?: number | undefined
  /** Deepest nesting of a JSON body (400 beyond), bounding the work of hashing it; 32 by default. */
  maxJsonDepth?: number | undefined
  /**
   * How long an expired session is remembered (a late request is told `..._NONCE_EXPIRED`, not
   * `..._NONCE_INVALID`) before it and its spent request ids are dropped; 5 minutes by default.
   */
  sessionGraceMs?: number | undefined
  /** Sessions held at once, live or within their grace; 200,000 by default (503 beyond). */
  maxSessions?: number | undefined
  /** Spent request ids held at once over all sessions; 1,000,000 by default (503 beyond). */
  maxSpentRequestIds?: number | undefined
  /**
   * Load shedding: a signed request that would wait longer than this for the signature checks
   * of those ahead of it is refused as it arrives, before its body is read, with 503 and
   * `Retry-After`, spending nothing; 150 ms by default. `Infinity` turns the estimate off.
   */
  maxQueueMs?: number | undefined
  /**
   * Signed requests admitted at once, from their arrival to the end of their signature check,
   * whatever the estimate (503 beyond, before the body is read); 256 by default.
   */
  maxPendingRequests?: number | undefined
  /**
   * Called once per answered request with its method, path, status, time in ms and
   * `error_code` (for error answers): a request log. None by default.
   */
  onRequest?: ((entry: SandboxRequestLog) => void) | undefined
  /**
   * Origins allowed to call the sandbox from a browser (CORS), e.g. `'http://localhost:5173'`,
   * or `'*'` for any; off by default.
   */
  cors?: string | readonly string[] | undefined
  /**
   * How the answers are written: one {@link SandboxDialect} or several, applied in order;
   * `'default'` (the sandbox's own shapes) when omitted. Requests are checked alike in all.
   */
  dialect?: SandboxDialect | readonly SandboxDialect[] | undefined
}

/**
 * Options of `startSandbox`: the app's options plus where to listen.
 *
 * @example
 * ```ts
 * import type { SandboxOptions } from '@agentpmt-kit/sandbox'
 *
 * const options: SandboxOptions = { port: 0, host: '127.0.0.1', reservationTtlMs: 60_000 }
 * ```
 */
export type SandboxOptions = SandboxAppOptions & {
  /** TCP port; 0 (the default) lets the system pick a free one. */
  port?: number | undefined
  /** Interface to listen on; 127.0.0.1 by default. */
  host?: string | undefined
  /** Time a client has to send a request's headers (408 after); 10 s by default. */
  headersTimeoutMs?: number | undefined
  /** Time a client has to send a whole request, body included (408 after); 30 s by default. */
  requestTimeoutMs?: number | undefined
  /** Open connections at once; more are closed as they arrive. 512 by default. */
  maxConnections?: number | undefined
  /**
   * Worker threads that recover the signers of signed requests, so that the event loop keeps
   * reading and answering requests meanwhile; 0 recovers them on the event loop. The workers
   * start the first time two signatures are checked at once and stop with `close()`; the same
   * requests get the same answers either way. By default one per core
   * (`os.availableParallelism()`) on a machine with more than 2 cores, else 0: on 2 cores, shared
   * with the clients, the pool cost more than it gained (BENCHMARKS.md, "Sandbox under load").
   */
  signatureWorkers?: number | undefined
}

/**
 * One line of the request log (`onRequest`).
 *
 * @example
 * ```ts
 * import type { SandboxRequestLog } from '@agentpmt-kit/sandbox'
 *
 * const entry: SandboxRequestLog = {
 *   method: 'POST',
 *   path: '/api/external/jobs/list',
 *   status: 401,
 *   ms: 14,
 *   errorCode: 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
 * }
 * ```
 */
export type SandboxRequestLog = {
  method: string
  path: string
  status: number
  /** Milliseconds from the request's arrival to its answer. */
  ms: number
  /** The answer's `error_code`, when it is a JSON error answer. */
  errorCode?: string | undefined
}

/**
 * The defaults of {@link SandboxAppOptions}.
 *
 * @example
 * ```ts
 * import { sandboxDefaults } from '@agentpmt-kit/sandbox'
 *
 * sandboxDefaults.sessionTtlMs // 900000
 * sandboxDefaults.seed // undefined: ids from crypto.getRandomValues
 * sandboxDefaults.signatureWorkers // os.availableParallelism() beyond 2 cores, else 0
 * ```
 */
export const sandboxDefaults: {
  readonly sessionTtlMs: number
  readonly reservationTtlMs: number
  readonly verificationDelayMs: number
  readonly verificationOutcome: VerificationOutcome
  readonly startingCredits: number
  readonly seed: number | undefined
  readonly maxBodyBytes: number
  readonly maxJsonDepth: number
  readonly sessionGraceMs: number
  readonly maxSessions: number
  readonly maxSpentRequestIds: number
  readonly maxQueueMs: number
  readonly maxPendingRequests: number
  readonly headersTimeoutMs: number
  readonly requestTimeoutMs: number
  readonly maxConnections: number
  readonly signatureWorkers: number
} = {
  sessionTtlMs: 15 * 60_000,
  reservationTtlMs: 30 * 60_000,
  verificationDelayMs: 300,
  verificationOutcome: 'verified',
  startingCredits: 100,
  seed: undefined,
  maxBodyBytes: 64 * 1024,
  maxJsonDepth: 32,
  sessionGraceMs: 5 * 60_000,
  maxSessions: 200_000,
  maxSpentRequestIds: 1_000_000,
  maxQueueMs: 150,
  maxPendingRequests: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 512,
  signatureWorkers: availableParallelism() > 2 ? availableParallelism() : 0,
}
