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
