import { expect, test } from 'vitest'
import { parseRetryAfter } from './index.js'

const now = Date.parse('2026-05-17T14:30:00Z')

test('delay-seconds', () => {
  expect(parseRetryAfter('0', now)).toBe(0)
  expect(parseRetryAfter(' 120 ', now)).toBe(120_000)
})

test('HTTP dates: IMF-fixdate, and a date in the past is 0', () => {
  expect(parseRetryAfter('Sun, 17 May 2026 14:30:10 GMT', now)).toBe(10_000)
  expect(parseRetryAfter('Sun, 17 May 2026 14:00:00 GMT', now)).toBe(0)
})

test('unreadable values give undefined', () => {
  for (const value of ['', '  ', '-1', '1.5', 'soon', 'Mon, 99 Foo 2026', null, undefined])
    expect(parseRetryAfter(value, now)).toBeUndefined()
  expect(parseRetryAfter('9'.repeat(30), now)).toBeUndefined()
})

test("an HTTP date is measured from the answer's own Date header, whatever the local clock", () => {
  const retryAt = 'Sun, 17 May 2026 14:30:10 GMT'
  const serverNow = 'Sun, 17 May 2026 14:30:00 GMT'
  // The local clock 40 minutes ahead, or 2 days behind, of the server's: still 10 s.
  for (const skewMs of [40 * 60_000, -2 * 86_400_000])
    expect(parseRetryAfter(retryAt, now + skewMs, serverNow)).toBe(10_000)
  // An unreadable Date header falls back on the local clock.
  expect(parseRetryAfter(retryAt, now, 'yesterday')).toBe(10_000)
  expect(parseRetryAfter('5', now + 3_600_000, serverNow)).toBe(5_000)
})

test('parseApiError reads the Date header of the same answer', async () => {
  const { parseApiError } = await import('./index.js')
  const headers = new Headers({
    'retry-after': 'Sun, 17 May 2026 14:30:10 GMT',
    date: 'Sun, 17 May 2026 14:30:00 GMT',
  })
  // The server's clock is 40 minutes behind the local one.
  const error = parseApiError(503, {}, { headers, now: now + 40 * 60_000 })
  expect(error.retryAfterMs).toBe(10_000)
})
