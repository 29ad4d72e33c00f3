import { describe, expect, test } from 'vitest'
import { bail } from './bail.js'
import { withoutToJson } from './withoutToJson.js'

/** The value `withoutToJson` returns, or `bail`. */
function checked(value: unknown): unknown {
  try {
    return withoutToJson(value)
  } catch (error) {
    if (error === bail) return bail
    throw error
  }
}

describe('withoutToJson', () => {
  test('a value without toJSON comes back itself, whatever its type', () => {
    const values = [
      undefined,
      null,
      '',
      'text',
      0,
      Number.NaN,
      true,
      1n,
      Symbol('s'),
      () => 0,
      {},
      { a: 1 },
      [],
      [1, 2],
      Object.create(null),
      new Map(),
    ]
    for (const value of values) expect(checked(value), String(typeof value)).toBe(value)
  })

  test('a toJSON that is not a function is an ordinary member (JSON.stringify writes it)', () => {
    const value = { toJSON: 'not a method', n: 1 }
    expect(JSON.stringify(value)).toBe('{"toJSON":"not a method","n":1}')
    expect(checked(value)).toBe(value)
    const nullToJson = { toJSON: null }
    expect(checked(nullToJson)).toBe(nullToJson)
  })

  test('bails on an object whose toJSON is a function, own or inherited', () => {
    expect(checked({ toJSON: () => 1 })).toBe(bail)
    expect(checked(new Date(0))).toBe(bail)
    expect(checked(Object.create({ toJSON: () => 'inherited' }))).toBe(bail)
    expect(checked(Object.assign([1], { toJSON: () => 'array' }))).toBe(bail)
  })

  test('bails on a bigint once BigInt.prototype has a toJSON (JSON.stringify then calls it)', () => {
    const prototype = BigInt.prototype as { toJSON?: () => string }
    prototype.toJSON = function (this: bigint) {
      return this.toString()
    }
    try {
      expect(JSON.stringify({ n: 5n })).toBe('{"n":"5"}')
      expect(checked(5n)).toBe(bail)
    } finally {
      delete prototype.toJSON
    }
    expect(checked(5n)).toBe(5n)
  })

  test('primitives other than bigints never bail, even when their prototype has a toJSON', () => {
    // JSON.stringify looks a toJSON up on objects and bigints only.
    const prototype = String.prototype as { toJSON?: () => string }
    prototype.toJSON = () => 'replaced'
    try {
      expect(JSON.stringify({ s: 'text' })).toBe('{"s":"text"}')
      expect(checked('text')).toBe('text')
    } finally {
      delete prototype.toJSON
    }
  })
})
