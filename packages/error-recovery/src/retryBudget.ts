/**
 * A token bucket that retries draw from. Share one between every client of a process (or a
 * fleet's agents in one process) so that when the service fails for everyone, the retries stop
 * after the bucket empties instead of multiplying the load: a retry storm needs tokens.
 *
 * @example
 * ```ts
 * import { createRetryBudget } from '@agentpmt-kit/error-recovery'
 *
 * const budget = createRetryBudget({ tokens: 10, refillPerSecond: 0.5 })
 * budget.tryTake() // true while tokens remain
 * ```
 */
export type RetryBudget = {
  /** Takes one token when one is available; `false` means do not retry now. */
  tryTake(): boolean
  /** Tokens available now (fractional while refilling). */
  available(): number
}

/**
 * Options of {@link createRetryBudget}.
 *
 * @example
 * ```ts
 * import type { RetryBudgetOptions } from '@agentpmt-kit/error-recovery'
 *
 * const options: RetryBudgetOptions = { tokens: 20, refillPerSecond: 1 }
 * ```
 */
export type RetryBudgetOptions = {
  /** Capacity of the bucket, and how full it starts. Default 10. */
  tokens?: number | undefined
  /** Tokens added per second, up to the capacity. Default 1. */
  refillPerSecond?: number | undefined
  /** Clock in milliseconds; default `Date.now`. Tests pass a fake one. */
  now?: (() => number) | undefined
}

/**
 * Creates a shared {@link RetryBudget}: `tokens` retries at once, then `refillPerSecond` more
 * retries per second.
 *
 * @example
 * ```ts
 * import { createRetryBudget, retryPolicy } from '@agentpmt-kit/error-recovery'
 *
 * const budget = createRetryBudget({ tokens: 10, refillPerSecond: 1 })
 * const policyA = retryPolicy({ budget })
 * const policyB = retryPolicy({ budget }) // the same bucket
 * ```
 */
export function createRetryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const capacity = options.tokens ?? 10
  const refillPerSecond = options.refillPerSecond ?? 1
  const now = options.now ?? Date.now
  if (!(capacity >= 0) || !Number.isFinite(capacity))
    throw new RangeError('tokens must be a finite number >= 0')
  if (!(refillPerSecond >= 0) || !Number.isFinite(refillPerSecond))
    throw new RangeError('refillPerSecond must be a finite number >= 0')
  let tokens = capacity
  let last = now()
  const refill = (): void => {
    const at = now()
    // A clock that goes backwards (a fake one, or an adjusted wall clock) adds nothing.
    if (at > last) tokens = Math.min(capacity, tokens + ((at - last) / 1000) * refillPerSecond)
    last = Math.max(last, at)
  }
  return {
    tryTake() {
      refill()
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
    available() {
      refill()
      return tokens
    },
  }
}
