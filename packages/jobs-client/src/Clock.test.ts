import { afterEach, expect, test, vi } from 'vitest'
import { systemClock } from './Clock.js'

afterEach(() => {
  vi.restoreAllMocks()
})

// Whether the Node.js timer behind a systemClock timer holds the event loop open.
function holdsProcess(options?: { keepAlive?: boolean }): boolean {
  const spy = vi.spyOn(globalThis, 'setTimeout')
  const cancel = systemClock.setTimeout(() => {}, 1_000, options)
  const timer = spy.mock.results[0]?.value as NodeJS.Timeout
  const held = timer.hasRef()
  cancel()
  return held
}

test('poll and retry timers keep the process alive (else a script exits mid-wait)', () => {
  expect(holdsProcess()).toBe(true)
  expect(holdsProcess({ keepAlive: true })).toBe(true)
})

test('a keepAlive: false timer (the reservation deadline) does not', () => {
  expect(holdsProcess({ keepAlive: false })).toBe(false)
})

test('a delay longer than a timer holds (2^31 - 1 ms) is waited in full', () => {
  vi.useFakeTimers()
  try {
    const day = 86_400_000
    let fired = false
    systemClock.setTimeout(() => {
      fired = true
    }, 30 * day)
    vi.advanceTimersByTime(29 * day)
    expect(fired).toBe(false)
    vi.advanceTimersByTime(day)
    expect(fired).toBe(true)
  } finally {
    vi.useRealTimers()
  }
})
