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
  /** Fault rules from the start; none by default. */
  faults?: readonly FaultRule[] | undefined
  /** Seed of the random source behind nonces, ids and fault rates; 1 by default. */
  seed?: number | undefined
  /** Largest request body accepted; 64 KiB by default. */
  maxBodyBytes?: number | undefined
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
}

/**
 * The defaults of {@link SandboxAppOptions}.
 *
 * @example
 * ```ts
 * import { sandboxDefaults } from '@agentpmt-kit/sandbox'
 *
 * sandboxDefaults.sessionTtlMs // 900000
 * ```
 */
export const sandboxDefaults: {
  readonly sessionTtlMs: number
  readonly reservationTtlMs: number
  readonly verificationDelayMs: number
  readonly verificationOutcome: VerificationOutcome
  readonly startingCredits: number
  readonly seed: number
  readonly maxBodyBytes: number
} = {
  sessionTtlMs: 15 * 60_000,
  reservationTtlMs: 30 * 60_000,
  verificationDelayMs: 300,
  verificationOutcome: 'verified',
  startingCredits: 100,
  seed: 1,
  maxBodyBytes: 64 * 1024,
}
