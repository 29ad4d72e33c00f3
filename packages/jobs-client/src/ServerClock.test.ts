import { describe, expect, test } from 'vitest'
import type { Clock } from './Clock.js'
import { createServerClock } from './ServerClock.js'

/** Local monotonic time from 0; the wall clock 1,000,000 ms ahead of it. */
function localClock() {
  let monotonic = 0
  const clock: Clock = {
    now: () => monotonic + 1_000_000,
    monotonic: () => monotonic,
    setTimeout: () => () => {},
  }
  return { clock, at: (ms: number) => (monotonic = ms) }
}

const httpDate = (ms: number): string => new Date(ms).toUTCString()
const serverOffset = 1_700_000_000_000

describe('the server clock', () => {
  test('before any Date header: the local wall clock stands for the server, not measured', () => {
    const { clock } = localClock()
    const server = createServerClock(clock)
    expect(server.reading()).toEqual({ offsetMs: 0, uncertaintyMs: 0, measured: false })
    expect(server.toLocal(1_000_500)).toBe(500)
    server.observeDate('not a date', 0, 10)
    expect(server.reading().measured).toBe(false)
  })

  test('a Date header bounds the offset by the round trip and its second; answers intersect', () => {
    const { clock } = localClock()
    const server = createServerClock(clock)
    // The server wrote 12:00:00.400 (sent as 12:00:00) between local 1,000 and 1,300.
    server.observeDate(httpDate(serverOffset + 1_000), 1_000, 1_300)
    // Offset (server - monotonic) within (offset + 1000 - 1300, offset + 2000 - 1000].
    expect(server.toServer(0)).toBe(serverOffset + 1_000)
    expect(server.toLocal(serverOffset + 5_000)).toBe(4_000)
    expect(server.reading()).toMatchObject({ measured: true, uncertaintyMs: 650 })
    // An answer written just before a second ended tightens the upper bound; a looser one (the
    // second) does not widen it again.
    server.observeDate(httpDate(serverOffset + 10_000), 10_699, 10_750)
    server.observeDate(httpDate(serverOffset + 19_000), 19_000, 19_100)
    expect(server.toServer(0)).toBe(serverOffset + 301)
    expect(server.reading().uncertaintyMs).toBe(201)
  })

  test('bounds that no longer meet (the server clock set back, or this machine slept) start afresh', () => {
    const { clock } = localClock()
    const server = createServerClock(clock)
    server.observeDate(httpDate(serverOffset + 1_000), 1_000, 1_100)
    server.observeDate(httpDate(serverOffset - 3_600_000), 2_000, 2_100)
    expect(server.toServer(2_000)).toBe(serverOffset - 3_600_000 + 1_000)
    // An answer that arrived before it was sent says nothing.
    server.observeDate(httpDate(0), 5_000, 4_000)
    expect(server.toServer(2_000)).toBe(serverOffset - 3_600_000 + 1_000)
  })

  test('offsetMs is from the local wall clock, negative when the server is behind', () => {
    const { clock } = localClock()
    const server = createServerClock(clock)
    const wallAt1000 = 1_001_000
    server.observeDate(httpDate(wallAt1000 - 40 * 60_000), 1_000, 1_000)
    expect(server.reading().offsetMs).toBe(-40 * 60_000 + 500)
  })
})
