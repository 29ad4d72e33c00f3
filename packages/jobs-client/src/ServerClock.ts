import { parseHttpDate } from '@agentpmt-kit/message-builder'
import { type Clock, monotonicNow } from './Clock.js'

/**
 * The server's clock as the client has measured it: `offsetMs`, how far the server's clock is
 * ahead of the local one (negative: behind), within `± uncertaintyMs`; `measured` is `false`
 * while no answer has told (no readable `Date` header yet): the local clock is then taken for
 * the server's.
 *
 * @example
 * ```ts
 * import type { ServerClockReading } from '@agentpmt-kit/jobs-client'
 *
 * declare const reading: ServerClockReading
 * if (reading.measured) console.log(`the server's clock is ${Math.round(reading.offsetMs / 1000)} s ahead`)
 * ```
 */
export type ServerClockReading = {
  readonly offsetMs: number
  readonly uncertaintyMs: number
  readonly measured: boolean
}

/**
 * The server's clock, measured from its answers. Every `Date` header bounds the offset between
 * the server's clock and the local monotonic one: the server wrote it (to the second) between
 * the request's sending and the answer's arrival. The bounds of successive answers are
 * intersected; bounds that no longer meet (the server's clock was set, or this machine slept)
 * start the measure afresh.
 *
 * Conversions lean to the safe side: a server instant becomes the earliest local instant it may
 * be (`toLocal`), a local instant the latest server instant it may be (`toServer`), with the same
 * bound, so `toLocal(toServer(t) + d) === t + d`.
 *
 * @internal
 */
export type ServerClock = {
  /** Takes the `Date` header of an answer sent at `sentAt` and received at `arrivedAt` (monotonic). */
  observeDate(date: string | null | undefined, sentAt: number, arrivedAt: number): void
  /** Takes a server instant, exact to `resolutionMs`, that fell between `sentAt` and `arrivedAt`. */
  observe(serverMs: number, resolutionMs: number, sentAt: number, arrivedAt: number): void
  /** The local monotonic instant of server instant `serverMs`, never later than it may be. */
  toLocal(serverMs: number): number
  /** The server instant at local monotonic instant `monotonicMs`, never earlier than it may be. */
  toServer(monotonicMs: number): number
  /** The offset from the local wall clock, for logs, probe and users. */
  reading(): ServerClockReading
}

/** A `Date` header has whole seconds: the server's clock read up to this much later. */
const dateResolutionMs = 1000

/**
 * Makes the {@link ServerClock} of one client, over its local `clock`.
 *
 * @internal
 */
export function createServerClock(clock: Clock): ServerClock {
  /** Bounds of (server time - local monotonic time), once measured. */
  let bounds: { low: number; high: number } | undefined
  /** Without a measure: the local wall clock stands for the server's. */
  const assumedOffset = (): number => clock.now() - monotonicNow(clock)
  const high = (): number => bounds?.high ?? assumedOffset()

  const observe: ServerClock['observe'] = (serverMs, resolutionMs, sentAt, arrivedAt) => {
    if (!Number.isFinite(serverMs) || !(arrivedAt >= sentAt)) return
    const low = serverMs - arrivedAt
    const highBound = serverMs + resolutionMs - sentAt
    bounds =
      bounds !== undefined && low <= bounds.high && highBound >= bounds.low
        ? { low: Math.max(low, bounds.low), high: Math.min(highBound, bounds.high) }
        : { low, high: highBound }
  }

  return {
    observe,
    observeDate(date, sentAt, arrivedAt) {
      const serverMs = parseHttpDate(date)
      if (serverMs !== undefined) observe(serverMs, dateResolutionMs, sentAt, arrivedAt)
    },
    toLocal: (serverMs) => serverMs - high(),
    toServer: (monotonicMs) => monotonicMs + high(),
    reading() {
      const wallOffset = assumedOffset()
      if (bounds === undefined) return { offsetMs: 0, uncertaintyMs: 0, measured: false }
      return {
        offsetMs: Math.round((bounds.low + bounds.high) / 2 - wallOffset),
        uncertaintyMs: Math.ceil((bounds.high - bounds.low) / 2),
        measured: true,
      }
    },
  }
}
