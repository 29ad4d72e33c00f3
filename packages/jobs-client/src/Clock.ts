/**
 * Where the client reads the time and sets timers: the system clock by default, a fake one in
 * tests. `setTimeout` returns a function that cancels the timer. `monotonic` is a reading that
 * never jumps (the system clock's is `performance.now()` based): every deadline the server sends
 * is kept on it, so a local clock set forward or back in mid-run moves none. A clock without it
 * uses `now` in its place.
 *
 * @example
 * ```ts
 * import type { Clock } from '@agentpmt-kit/jobs-client'
 *
 * const clock: Clock = {
 *   now: () => Date.now(),
 *   setTimeout: (callback, ms) => {
 *     const timer = setTimeout(callback, ms)
 *     return () => clearTimeout(timer)
 *   },
 * }
 * ```
 */
export type Clock = {
  /** Milliseconds since the epoch, on the local clock (which may be minutes or days off). */
  now(): number
  /** Milliseconds from a fixed origin, never set forward or back. Default: `now()`. */
  monotonic?: (() => number) | undefined
  /**
   * Calls `callback` once after `ms` milliseconds; the returned function cancels it. A timer with
   * `keepAlive: false` (the reservation deadline) must not keep a Node.js process running.
   */
  setTimeout(
    callback: () => void,
    ms: number,
    options?: { keepAlive?: boolean | undefined } | undefined,
  ): () => void
}

/** The longest delay a Node.js or browser timer holds. */
const maxTimerMs = 2 ** 31 - 1

/**
 * The system clock. Its timers keep a Node.js process alive while the client waits (polls,
 * retries), except those set with `keepAlive: false`.
 *
 * @example
 * ```ts
 * import { systemClock } from '@agentpmt-kit/jobs-client'
 *
 * systemClock.now() // Date.now()
 * systemClock.monotonic?.() // performance.timeOrigin + performance.now()
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.timeOrigin + performance.now(),
  setTimeout(callback, ms, options) {
    let timer: ReturnType<typeof setTimeout> | undefined
    // A timer holds at most 2^31 - 1 ms (longer ones fire at once): wait in steps.
    const wait = (remainingMs: number): void => {
      const step = Math.min(remainingMs, maxTimerMs)
      timer = setTimeout(() => (remainingMs > step ? wait(remainingMs - step) : callback()), step)
      if (options?.keepAlive === false) (timer as { unref?: () => void }).unref?.()
    }
    wait(Math.max(0, ms))
    return () => clearTimeout(timer)
  },
}

/**
 * The monotonic reading of `clock` (its `now` when it has none).
 *
 * @internal
 */
export function monotonicNow(clock: Clock): number {
  return clock.monotonic?.() ?? clock.now()
}
