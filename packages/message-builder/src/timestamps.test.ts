import { describe, expect, test } from 'vitest'
import { parseHttpDate, parseTimestamp } from './timestamps.js'

describe('parseTimestamp', () => {
  test.each([
    ['2026-05-17T14:30:00Z', Date.UTC(2026, 4, 17, 14, 30)],
    ['2026-05-17T14:30:00.123456+00:00', Date.UTC(2026, 4, 17, 14, 30, 0, 123)],
    ['2026-05-17T16:30:00+02:00', Date.UTC(2026, 4, 17, 14, 30)],
    ['2026-05-17T09:30:00-0500', Date.UTC(2026, 4, 17, 14, 30)],
    ['2026-05-17T14:30:00', Date.UTC(2026, 4, 17, 14, 30)],
    ['2026-05-17 14:30:00.5', Date.UTC(2026, 4, 17, 14, 30, 0, 500)],
    ['2026-05-17T14:30', Date.UTC(2026, 4, 17, 14, 30)],
  ])('%s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected)
  })

  test.each(['', 'tomorrow', '2026-13-01T00:00:00Z', '17/05/2026', 1779028200, null])(
    'unreadable: %s',
    (value) => {
      expect(parseTimestamp(value)).toBeUndefined()
    },
  )
})

describe('parseHttpDate', () => {
  test.each([
    ['Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2015, 9, 21, 7, 28)],
    ['Wednesday, 21-Oct-15 07:28:00 GMT', Date.UTC(2015, 9, 21, 7, 28)],
  ])('%s', (text, expected) => {
    expect(parseHttpDate(text)).toBe(expected)
  })

  test.each(['', '120', '1.5', '-1', 'soon', null, undefined])('unreadable: %s', (value) => {
    expect(parseHttpDate(value)).toBeUndefined()
  })
})
