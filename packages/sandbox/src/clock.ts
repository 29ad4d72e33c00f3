/**
 * The sandbox's time source: a base clock (the real one, or one a test injects) plus a fixed
 * offset of either sign (a server whose clock is off: `clockOffsetMs`) and what
 * {@link SandboxClock.advance} has moved it forward, so expiry can be tested without waiting.
 * Every timestamp the sandbox writes, and its `Date` header, are on this clock.
 *
 * @example
 * ```ts
 * import { createClock } from '@agentpmt-kit/sandbox'
 *
 * const clock = createClock(() => Date.parse('2026-01-01T00:00:00Z'))
 * clock.advance(60_000)
 * new Date(clock.now()).toISOString() // '2026-01-01T00:01:00.000Z'
 * ```
 */
export type SandboxClock = {
  /** Milliseconds since the epoch, as the sandbox sees them. */
  now(): number
  /** Moves the sandbox's time forward by `ms` milliseconds (never backward). */
  advance(ms: number): void
}

/**
 * Makes a {@link SandboxClock} over `base` (default `Date.now`), `offsetMs` away from it
 * (default 0; negative: behind).
 *
 * @example
 * ```ts
 * import { createClock } from '@agentpmt-kit/sandbox'
 *
 * const clock = createClock()
 * clock.advance(15 * 60_000) // every session opened before now has expired
 * const behind = createClock(Date.now, -40 * 60_000) // a server 40 minutes behind
 * ```
 */
export function createClock(base: () => number = Date.now, offsetMs = 0): SandboxClock {
  if (!Number.isFinite(offsetMs))
    throw new RangeError(`The clock offset must be a finite number of ms, got ${offsetMs}`)
  let offset = offsetMs
  return {
    now: () => base() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`advance() takes a finite, non-negative number of ms, got ${ms}`)
      offset += ms
    },
  }
}
