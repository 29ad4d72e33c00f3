import { describe, expect, test } from 'vitest'
import { parseHttpDate, parseTimestamp } from './timestamps.js'

// The edges of the timestamp readers that the examples in timestamps.test.ts leave open (found by
// mutation testing: each case fails when one bound, one pattern piece or one branch is changed).

describe('parseTimestamp at the edges of each field', () => {
  test.each([
    ['2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1)],
    ['2026-12-31T23:59:59Z', Date.UTC(2026, 11, 31, 23, 59, 59)],
    // 24:00 is the end of the day (ISO 8601), a leap second rolls over to the next minute.
    ['2026-05-17T24:00:00Z', Date.UTC(2026, 4, 18)],
    ['2026-05-17T14:30:60Z', Date.UTC(2026, 4, 17, 14, 31)],
  ])('%s is read', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected)
  })

  test.each([
    '2026-00-17T14:30:00Z',
    '2026-05-00T14:30:00Z',
    '2026-05-32T14:30:00Z',
    '2026-05-17T25:00:00Z',
    '2026-05-17T14:60:00Z',
    '2026-05-17T14:30:61Z',
  ])('%s is out of range', (text) => {
    expect(parseTimestamp(text)).toBeUndefined()
  })
})

describe('parseTimestamp reads every form of the pattern, and nothing around it', () => {
  test.each([
    ['  2026-05-17T14:30:00Z\n', Date.UTC(2026, 4, 17, 14, 30)],
    ['2026-05-17t14:30:00Z', undefined],
    ['2026-05-17T14:30:00z', Date.UTC(2026, 4, 17, 14, 30)],
    ['2026-05-17T14:30:00,25Z', Date.UTC(2026, 4, 17, 14, 30, 0, 250)],
    ['2026-05-17T14:30:00.9999Z', Date.UTC(2026, 4, 17, 14, 30, 0, 999)],
    ['2026-05-17T19:30:00+05', Date.UTC(2026, 4, 17, 14, 30)],
    ['2026-05-17T20:00:00+05:30', Date.UTC(2026, 4, 17, 14, 30)],
    ['2026-05-17T09:00:00-05:30', Date.UTC(2026, 4, 17, 14, 30)],
    ['x2026-05-17T14:30:00Z', undefined],
    ['2026-05-17T14:30:00Zx', undefined],
    ['2026-05-17T14:30:00.Z', undefined],
    ['20260-05-17T14:30:00Z', undefined],
    ['2026-5-17T14:30:00Z', undefined],
    ['2026-05-17T14:30:00+5', undefined],
  ])('%j', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected)
  })
})

describe('parseHttpDate needs three letters in a row', () => {
  test.each([
    // Date.parse reads these, but they are ISO timestamps or numbers, not HTTP dates.
    '2026-05-17T14:30:00Z',
    '2026-05-17',
    '07 21 2015',
  ])('%s is not an HTTP date', (text) => {
    expect(parseHttpDate(text)).toBeUndefined()
  })

  test('surrounding spaces are read', () => {
    expect(parseHttpDate('  Sun, 06 Nov 1994 08:49:37 GMT  ')).toBe(
      Date.UTC(1994, 10, 6, 8, 49, 37),
    )
  })
})
