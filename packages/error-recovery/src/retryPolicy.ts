import { ApiError } from './ApiError.js'
import { recoveryFor } from './recovery.js'
import type { RetryBudget } from './retryBudget.js'
import { RequestAbortedError } from './TransportError.js'

/**
 * Options of {@link retryPolicy}; every field has a default.
 *
 * @example
 * ```ts
 * import type { RetryPolicyOptions } from '@agentpmt-kit/error-recovery'
 *
 * const options: RetryPolicyOptions = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 10_000 }
 * ```
 */
export type RetryPolicyOptions = {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number | undefined
  /** Ceiling of the first backoff delay; doubles with each attempt. Default 500. */
  baseDelayMs?: number | undefined
  /** Highest backoff ceiling. Default 30 000. A longer `Retry-After` is still honoured. */
  maxDelayMs?: number | undefined
  /** A `Retry-After` longer than this gives up instead of waiting. Default 120 000. */
  maxRetryAfterMs?: number | undefined
  /** A shared token bucket; each retry after a server or transport failure takes one token. */
  budget?: RetryBudget | undefined
  /** Uniform random numbers in [0, 1) for the jitter. Default `Math.random`. */
  random?: (() => number) | undefined
  /** Waits `ms` milliseconds; rejects when `signal` aborts. Default: a timer. Tests pass a fake. */
  sleep?: ((ms: number, signal?: AbortSignal | undefined) => Promise<void>) | undefined
}

/**
 * One failed attempt that {@link RetryPolicy.run} is about to retry.
 *
 * @example
 * ```ts
 * import type { RetryEvent } from '@agentpmt-kit/error-recovery'
 *
 * const log = (event: RetryEvent) => console.log(`attempt ${event.attempt} failed, waiting ${event.delayMs} ms`)
 * ```
 */
export type RetryEvent = { attempt: number; error: unknown; delayMs: number }

/**
 * When and whether to try a failed request again; made by {@link retryPolicy}.
 *
 * @example
 * ```ts
 * import { retryPolicy, type RetryPolicy } from '@agentpmt-kit/error-recovery'
 *
 * const policy: RetryPolicy = retryPolicy({ maxAttempts: 3 })
 * ```
 */
export type RetryPolicy = {
  readonly maxAttempts: number
  /**
   * The delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed with
   * `error`, or `undefined` to give up. When it returns a delay after a server or transport
   * failure, it has taken a token from the budget.
   */
  delayFor(attempt: number, error: unknown): number | undefined
  /** Waits `ms` milliseconds; rejects with a {@link RequestAbortedError} when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal | undefined): Promise<void>
  /**
   * Runs `task` until it succeeds or {@link RetryPolicy.delayFor} gives up (then its last error
   * is thrown). `task` gets the 1-based attempt number. After a transport error it re-sends the
   * identical signed request (same request id, so the server can recognise a duplicate); after an
   * API error it signs anew with a fresh request id (and a new session after `new-session`).
   */
  run<result>(
    task: (attempt: number) => Promise<result>,
    options?: {
      signal?: AbortSignal | undefined
      onRetry?: ((event: RetryEvent) => void) | undefined
    },
  ): Promise<result>
}

/**
 * A retry policy: exponential backoff with full jitter (a uniform delay between 0 and
 * `min(maxDelayMs, baseDelayMs * 2^(attempt-1))`), at least `Retry-After` when the server gave
 * one, a shared {@link RetryBudget}, and an `AbortSignal` that stops the wait. By recovery:
 * - `retry-later` (429, 502, 503, 504, network errors, timeouts): backoff, until `maxAttempts`;
 * - `new-session` and a replay (`new-request` with a 409): at once (delay 0), after the caller
 *   renewed what was stale; no budget token, since the service is healthy;
 * - a server failure (500): one retry only, and only as the first retry (a caller that knows the
 *   call is safe to repeat, or has read the server's record, may ask again);
 * - `fix-signature` and `none`: never.
 *
 * @example
 * ```ts
 * import { createRetryBudget, retryPolicy } from '@agentpmt-kit/error-recovery'
 *
 * const policy = retryPolicy({ maxAttempts: 4, budget: createRetryBudget({ tokens: 20 }) })
 * const jobs = await policy.run(async (attempt) => {
 *   const response = await fetch('https://www.agentpmt.com/api/external/jobs/list', { method: 'POST' })
 *   return response.json()
 * })
 * ```
 */
export function retryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? 3
  const baseDelayMs = options.baseDelayMs ?? 500
  const maxDelayMs = options.maxDelayMs ?? 30_000
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000
  const random = options.random ?? Math.random
  const wait = options.sleep ?? timerSleep
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError('maxAttempts must be an integer >= 1')
  if (!(baseDelayMs >= 0) || !(maxDelayMs >= 0))
    throw new RangeError('baseDelayMs and maxDelayMs must be >= 0')

  const backoff = (attempt: number): number => {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 52))
    return Math.floor(Math.min(Math.max(random(), 0), 1 - Number.EPSILON) * ceiling)
  }
  const takeToken = (): boolean => options.budget?.tryTake() ?? true

  const policy: RetryPolicy = {
    maxAttempts,
    delayFor(attempt, error) {
      if (attempt >= maxAttempts) return undefined
      const recovery = recoveryFor(error)
      if (recovery === 'new-session') return 0
      if (recovery === 'new-request') {
        if (error instanceof ApiError && error.status === 409) return 0
        if (attempt !== 1 || !takeToken()) return undefined
        return backoff(attempt)
      }
      if (recovery !== 'retry-later') return undefined
      const retryAfterMs = error instanceof ApiError ? error.retryAfterMs : undefined
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) return undefined
      if (!takeToken()) return undefined
      return Math.max(backoff(attempt), retryAfterMs ?? 0)
    },
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(new RequestAbortedError({ cause: signal.reason }))
      return wait(ms, signal)
    },
    async run(task, runOptions = {}) {
      const { signal, onRetry } = runOptions
      for (let attempt = 1; ; attempt++) {
        if (signal?.aborted) throw new RequestAbortedError({ cause: signal.reason })
        try {
          return await task(attempt)
        } catch (error) {
          if (signal?.aborted)
            throw error instanceof RequestAbortedError
              ? error
              : new RequestAbortedError({ cause: signal.reason })
          const delayMs = policy.delayFor(attempt, error)
          if (delayMs === undefined) throw error
          onRetry?.({ attempt, error, delayMs })
          await policy.sleep(delayMs, signal)
        }
      }
    },
  }
  return policy
}

/** The longest delay `setTimeout` holds; a longer one fires at once. */
const maxTimerMs = 2 ** 31 - 1

function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new RequestAbortedError({ cause: signal?.reason }))
    }
    const sleepFor = (remainingMs: number): void => {
      timer = setTimeout(
        () => {
          if (remainingMs > maxTimerMs) return sleepFor(remainingMs - maxTimerMs)
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.min(remainingMs, maxTimerMs),
      )
    }
    sleepFor(ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
