import { expect, test } from 'vitest'
import { abbreviateJsonPath, formatJsonPath } from './jsonPath.js'

test('formatJsonPath writes identifiers with dots, the rest in brackets', () => {
  expect(formatJsonPath([])).toBe('$')
  expect(formatJsonPath(['social_posts', 0, 'posted_at'])).toBe('$.social_posts[0].posted_at')
  expect(formatJsonPath(['$ref', '_x', 'A1'])).toBe('$.$ref._x.A1')
  expect(formatJsonPath(['odd key', '0', '1a', '', 'é', 'a"b'])).toBe(
    '$["odd key"]["0"]["1a"][""]["é"]["a\\"b"]',
  )
})

test('a lone surrogate in a key is shown as U+FFFD', () => {
  expect(formatJsonPath(['a\ud800'])).toBe('$["a\ufffd"]')
})

test('abbreviateJsonPath keeps 24 segments, then the first and last 8', () => {
  const segments = Array.from({ length: 24 }, (_, i) => i)
  expect(abbreviateJsonPath(segments)).toBe(formatJsonPath(segments))
  const long = Array.from({ length: 2025 }, (_, i) => (i % 2 ? 'k' : i))
  expect(abbreviateJsonPath(long)).toBe(
    '$[0].k[2].k[4].k[6].k…(2,009 levels)….k[2018].k[2020].k[2022].k[2024]',
  )
})
