/**
 * For any server clock offset within ±7 days, any local wall clock (its own offset as far), any
 * travel time of each request and answer, any reservation window and any way the server writes
 * the deadline, a reservation is worked on for its server-side window minus the safety margin,
 * never past it, and short of it by no more than the round trips and the second a `Date` header
 * cannot tell.
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { Clock } from './Clock.js'
import { createJobsClient } from './createJobsClient.js'
import { json, reserveBody, signer } from './test/fakes.js'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)
const day = 86_400_000
const safetyMarginMs = 60_000

const leg = fc.integer({ min: 0, max: 10_000 })
const roundTrip = fc.tuple(leg, leg)

test.prop(
  [
    fc.integer({ min: -7 * day, max: 7 * day }),
    fc.integer({ min: -7 * day, max: 7 * day }),
    fc.integer({ min: 1.5e12, max: 2e12 }),
    roundTrip,
    roundTrip,
    fc.integer({ min: 120, max: 7_200 }),
    fc.constantFrom('expires_at', 'naive expires_at', 'expires_in'),
  ],
  { numRuns },
)(
  'a reservation is worked on until its server deadline minus the margin, never past it',
  async (serverOffset, wallOffset, start, sessionTrip, reserveTrip, ttlSeconds, form) => {
    /** Local monotonic time; the wall clock and the server's clock are fixed offsets of it. */
    let monotonic = start
    const timers: Array<{ at: number; keepAlive: boolean }> = []
    const clock: Clock = {
      now: () => monotonic + wallOffset,
      monotonic: () => monotonic,
      setTimeout(_, ms, options) {
        timers.push({ at: monotonic + Math.max(0, ms), keepAlive: options?.keepAlive !== false })
        return () => {}
      },
    }
    const trips = [sessionTrip, reserveTrip]
    let serverDeadline = Number.NaN
    const fetch = (async (input: string | URL | Request) => {
      const [there, back] = trips.shift() ?? [0, 0]
      monotonic += there
      const serverNow = monotonic + serverOffset
      const path = String(input)
      let body: unknown
      if (path.endsWith('/auth/session')) body = { session_nonce: 'n1', expires_in: 900 }
      else {
        serverDeadline = serverNow + ttlSeconds * 1000
        const answer = reserveBody('share', serverNow, ttlSeconds * 1000) as Record<string, unknown>
        if (form === 'expires_in') {
          delete answer.expires_at
          answer.expires_in = ttlSeconds
        } else if (form === 'naive expires_at')
          answer.expires_at = new Date(serverDeadline).toISOString().slice(0, -1)
        body = answer
      }
      const response = json(200, body, { date: new Date(serverNow).toUTCString() })
      monotonic += back
      return response
    }) as typeof globalThis.fetch
    const client = createJobsClient({
      signer,
      fetch,
      clock,
      baseUrl: 'https://api.test',
      safetyMarginMs,
    })

    const reservation = await client.reserve('job_share_linkedin')
    const deadlineTimers = timers.filter((timer) => !timer.keepAlive)
    expect(deadlineTimers).toHaveLength(1)
    expect(reservation.signal.aborted).toBe(false)
    // When the work is stopped, on the server's clock.
    const stopsAt = deadlineTimers[0]!.at + serverOffset
    const latestAllowed = serverDeadline - safetyMarginMs
    const uncertaintyMs = sessionTrip[0] + sessionTrip[1] + reserveTrip[0] + reserveTrip[1] + 1000
    expect(stopsAt).toBeLessThanOrEqual(latestAllowed)
    expect(stopsAt).toBeGreaterThanOrEqual(latestAllowed - uncertaintyMs)
    // expires_at tells the server's deadline (estimated, for expires_in) to the same precision.
    expect(Math.abs(Date.parse(reservation.expires_at) - serverDeadline)).toBeLessThanOrEqual(
      uncertaintyMs,
    )
  },
)
