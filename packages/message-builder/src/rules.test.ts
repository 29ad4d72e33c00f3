import { describe, expect, test } from 'vitest'
import { type FieldRule, fieldProblem, isAddress } from './rules.js'

const address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const textRules: FieldRule[] = ['line', 'sessionNonce', 'requestId', 'pathSegment', 'jobId']

describe('fieldProblem', () => {
  test.each([
    [null, 'be a string, not null'],
    [undefined, 'be a string, not undefined'],
    [7, 'be a string, not number'],
    [{}, 'be a string, not object'],
  ])('refuses %j under every rule, naming its type', (value, problem) => {
    for (const rule of [...textRules, 'wallet' as const])
      expect(fieldProblem(rule, value)).toBe(problem)
  })

  test('every text rule refuses the empty string and a lone surrogate', () => {
    for (const rule of textRules) {
      expect(fieldProblem(rule, '')).toBe('not be empty')
      expect(fieldProblem(rule, 'a\ud800')).toBe(
        'not contain a lone surrogate (it cannot be encoded as UTF-8)',
      )
      expect(fieldProblem(rule, 'a\udc00b')).toMatch(/lone surrogate/)
      expect(fieldProblem(rule, 'ok 😀')).toBeUndefined()
    }
  })

  test('lines refuse \\r and \\n, but accept other control characters and any length', () => {
    const lineBreak = 'not contain a line break (\\r or \\n): it would inject a line'
    for (const rule of ['line', 'sessionNonce', 'requestId', 'jobId'] as const) {
      expect(fieldProblem(rule, 'a\nb')).toBe(lineBreak)
      expect(fieldProblem(rule, 'a\rb')).toBe(lineBreak)
    }
    for (const rule of ['line', 'sessionNonce', 'requestId'] as const) {
      expect(fieldProblem(rule, 'a\tb\u0000\u007f')).toBeUndefined()
      expect(fieldProblem(rule, 'x'.repeat(5000))).toBeUndefined()
      expect(fieldProblem(rule, '..')).toBeUndefined()
      expect(fieldProblem(rule, '-')).toBeUndefined()
    }
  })

  test('path segments and job ids: no dot segments, at most 256 characters, no control character', () => {
    for (const rule of ['pathSegment', 'jobId'] as const) {
      expect(fieldProblem(rule, '.')).toBe(
        'not be "." or "..", which a URL resolves into another path',
      )
      expect(fieldProblem(rule, '..')).toBe(
        'not be "." or "..", which a URL resolves into another path',
      )
      expect(fieldProblem(rule, '...')).toBeUndefined()
      expect(fieldProblem(rule, 'x'.repeat(256))).toBeUndefined()
      expect(fieldProblem(rule, 'x'.repeat(257))).toBe('be at most 256 characters')
      for (const control of ['\u0000', '\t', '\u001f', '\u007f'])
        expect(fieldProblem(rule, `a${control}b`)).toBe('not contain a control character')
      expect(fieldProblem(rule, 'a b~\u0080é')).toBeUndefined()
    }
    // A line break in a path segment is one of its control characters.
    expect(fieldProblem('pathSegment', 'a\nb')).toBe('not contain a control character')
    expect(fieldProblem('pathSegment', '-')).toBeUndefined()
  })

  test('a job id is not "-", which stands for no product', () => {
    expect(fieldProblem('jobId', '-')).toBe('not be "-", which stands for no product')
    expect(fieldProblem('jobId', '--')).toBeUndefined()
    expect(fieldProblem('jobId', 'job_1')).toBeUndefined()
  })

  test('a wallet is 0x and exactly 40 hexadecimal characters, any case', () => {
    const problem = 'be 0x followed by 40 hexadecimal characters'
    expect(fieldProblem('wallet', address)).toBeUndefined()
    expect(fieldProblem('wallet', address.toLowerCase())).toBeUndefined()
    for (const wrong of [
      '',
      address.slice(0, -1),
      `${address}0`,
      `0X${address.slice(2)}`,
      `${address.slice(0, -1)}g`,
      ` ${address}`,
      `${address}\n`,
    ])
      expect(fieldProblem('wallet', wrong)).toBe(problem)
  })
})

describe('isAddress', () => {
  test('accepts 0x and 40 hex digits in any case, nothing else', () => {
    expect(isAddress(address)).toBe(true)
    expect(isAddress(address.toUpperCase().replace('0X', '0x'))).toBe(true)
    for (const wrong of [address.slice(0, -1), `${address}a`, `x${address}`, 42, null, undefined])
      expect(isAddress(wrong)).toBe(false)
  })

  test('a value that only converts to an address is not one', () => {
    // A regular expression converts what it tests to a string: only a string may pass.
    expect(isAddress({ toString: () => address })).toBe(false)
    expect(isAddress([address])).toBe(false)
    expect(isAddress(new String(address))).toBe(false)
  })
})
