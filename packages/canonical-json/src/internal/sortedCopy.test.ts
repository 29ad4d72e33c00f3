import { describe, expect, test } from 'vitest'
import {
  CircularReferenceError,
  canonicalize,
  LoneSurrogateError,
  MaxDepthExceededError,
} from '../canonicalize.js'
import { bail, recursionLimit } from './bail.js'
import { sortedCopy } from './sortedCopy.js'

/**
 * What native `JSON.stringify` writes of the copy, or `bail`. `canonicalize` recovers every bail
 * with the exact walk, so its output cannot tell a copy from a bail: these tests ask the copy.
 */
function copied(value: unknown, maxDepth = 1_000_000): string | typeof bail {
  try {
    return JSON.stringify(sortedCopy(value, maxDepth))
  } catch (error) {
    if (error === bail) return bail
    throw error
  }
}

/** `levels` arrays, each the only member of the one around it. */
function nestedArrays(levels: number): unknown {
  let value: unknown = []
  for (let level = 1; level < levels; level++) value = [value]
  return value
}

describe('sortedCopy', () => {
  test('scalars are copied as they are', () => {
    for (const scalar of ['', 'text', 'é 東京 😀', 0, -1.5, 1e21, true, false, null])
      expect(sortedCopy(scalar, 0)).toBe(scalar)
  })

  test('keys inserted in sorted order, undefined members left out, arrays copied in order', () => {
    const value = { b: 1, a: [true, null, 'x', 2.5, [], {}], c: { e: 'é', d: undefined } }
    expect(copied(value)).toBe('{"a":[true,null,"x",2.5,[],{}],"b":1,"c":{"e":"é"}}')
    expect(copied([{ z: 0, y: [{ x: false }] }, 'last'])).toBe('[{"y":[{"x":false}],"z":0},"last"]')
  })

  test('an object without a prototype is copied as a plain object', () => {
    const value = Object.assign(Object.create(null) as object, { b: 1, a: { d: 2, c: 3 } })
    expect(copied(value)).toBe('{"a":{"c":3,"d":2},"b":1}')
    expect(copied([Object.create(null)])).toBe('[{}]')
  })

  test('bails on everything the exact walk refuses, at the top, in an array and in an object', () => {
    const refused = [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      'a\ud800',
      '\udc00b',
      1n,
      Symbol('s'),
      () => 0,
      new (class Point {
        x = 1
      })(),
      new Map([['a', 1]]),
      new Uint8Array(2),
    ]
    for (const value of refused) {
      expect(copied(value), String(typeof value)).toBe(bail)
      expect(copied([1, value]), String(typeof value)).toBe(bail)
      expect(copied({ a: 1, b: value }), String(typeof value)).toBe(bail)
    }
    expect(copied(undefined)).toBe(bail)
    expect(copied([1, undefined])).toBe(bail)
    // A hole reads as undefined: JSON.stringify would write it as null.
    const holey: unknown[] = [1]
    holey[2] = 2
    expect(copied(holey)).toBe(bail)
  })

  test('bails on toJSON, which only the exact walk runs', () => {
    expect(copied(new Date(0))).toBe(bail)
    expect(copied([new Date(0)])).toBe(bail)
    expect(copied({ a: { toJSON: () => 1 } })).toBe(bail)
  })

  test('bails on keys a copy cannot order: array indexes and __proto__', () => {
    expect(copied({ a: 1, 2: 'two' })).toBe(bail)
    expect(copied([Object.fromEntries([['__proto__', 1]])])).toBe(bail)
  })

  test('bails on a cycle', () => {
    const array: unknown[] = [1]
    array.push({ back: array })
    expect(copied(array)).toBe(bail)
    const object: Record<string, unknown> = {}
    object.self = object
    expect(copied(object)).toBe(bail)
  })

  test('a value seen twice but not inside itself is copied twice', () => {
    const shared = { b: 2, a: 1 }
    expect(copied([shared, [shared], { x: shared }])).toBe(
      '[{"a":1,"b":2},[{"a":1,"b":2}],{"x":{"a":1,"b":2}}]',
    )
  })

  test('maxDepth counts containers: 0 copies scalars only, 1 a container of scalars', () => {
    expect(copied(5, 0)).toBe('5')
    expect(copied([], 0)).toBe(bail)
    expect(copied({}, 0)).toBe(bail)
    expect(copied([1, 'a'], 1)).toBe('[1,"a"]')
    expect(copied({ a: 1 }, 1)).toBe('{"a":1}')
    expect(copied([[1]], 1)).toBe(bail)
    expect(copied({ a: {} }, 1)).toBe(bail)
    expect(copied([[[]]], 3)).toBe('[[[]]]')
    expect(copied([[[]]], 2)).toBe(bail)
  })

  test('bails past the recursion limit whatever maxDepth allows', () => {
    const atLimit = `${'['.repeat(recursionLimit)}${']'.repeat(recursionLimit)}`
    expect(copied(nestedArrays(recursionLimit), Number.POSITIVE_INFINITY)).toBe(atLimit)
    expect(copied(nestedArrays(recursionLimit + 1), Number.POSITIVE_INFINITY)).toBe(bail)
    expect(copied(nestedArrays(recursionLimit + 1), recursionLimit + 10)).toBe(bail)
  })
})

/** An array of `count` small records: past the small-value budget, so the sorted copy writes it. */
function large(
  count: number,
  record: (index: number) => unknown = (index) => ({ b: index, a: 'é' }),
) {
  return Array.from({ length: count }, (_, index) => record(index))
}

/** The same array written by hand, for records `{ a: 'é', b: index }`. */
const largeText = (count: number) =>
  `[${Array.from({ length: count }, (_, index) => `{"a":"é","b":${index}}`).join(',')}]`

describe('large values (sorted copy, then native JSON.stringify)', () => {
  test('sorted keys in both forms', () => {
    expect(canonicalize(large(100))).toBe(largeText(100))
    expect(canonicalize(large(100), { ascii: true })).toBe(
      largeText(100).replaceAll('é', '\\u00e9'),
    )
  })

  test('array-index keys still sort as text: "10" before "2"', () => {
    const value = large(100, (index) => ({ 2: 'two', 10: 'ten', b: index }))
    expect(canonicalize(value)).toBe(
      `[${Array.from({ length: 100 }, (_, index) => `{"10":"ten","2":"two","b":${index}}`).join(',')}]`,
    )
  })

  test('an own __proto__ key is written as a member', () => {
    const value = large(100, (index) => Object.fromEntries([['__proto__', index]]))
    expect(canonicalize(value)).toBe(
      `[${Array.from({ length: 100 }, (_, index) => `{"__proto__":${index}}`).join(',')}]`,
    )
  })

  test('toJSON is honoured, with its key, and undefined members are left out', () => {
    const keys: string[] = []
    const date = new Date(Date.UTC(2026, 4, 17))
    const value = large(100, (index) => ({
      at: index === 5 ? date : null,
      gone: undefined,
      custom: {
        toJSON: (key: string) => {
          keys.push(key)
          return index
        },
      },
    }))
    const text = canonicalize(value)
    expect(text.startsWith('[{"at":null,"custom":0},')).toBe(true)
    expect(text).toContain('{"at":"2026-05-17T00:00:00.000Z","custom":5}')
    expect(new Set(keys)).toEqual(new Set(['custom']))
  })

  test('objects of one shape, then another with the same number of keys', () => {
    const value = large(100, (index) => (index % 2 ? { y: 1, x: 2 } : { b: 1, a: 2 }))
    expect(canonicalize(value)).toBe(
      `[${Array.from({ length: 100 }, (_, index) => (index % 2 ? '{"x":2,"y":1}' : '{"a":2,"b":1}')).join(',')}]`,
    )
  })

  test('nesting past the recursion limit inside a large value is written exactly', () => {
    let deep: unknown = 0
    for (let level = 0; level < 2000; level++) deep = { a: deep }
    const value = [...large(100), deep]
    expect(canonicalize(value)).toBe(
      `${largeText(100).slice(0, -1)},${'{"a":'.repeat(2000)}0${'}'.repeat(2000)}]`,
    )
  })

  test('refusals keep their class and path', () => {
    const withCycle: Record<string, unknown>[] = large(100) as Record<string, unknown>[]
    withCycle[60]!.self = withCycle[60]
    expect(() => canonicalize(withCycle)).toThrow(CircularReferenceError)

    const lone = large(100, (index) => ({ text: index === 70 ? 'a\ud800' : 'ok' }))
    expect(() => canonicalize(lone)).toThrow(LoneSurrogateError)
    try {
      canonicalize(lone, { ascii: true })
    } catch (error) {
      expect((error as LoneSurrogateError).path).toBe('$[70].text')
    }

    const loneKey = large(100, (index) => (index === 80 ? { 'k\udc00': 1 } : {}))
    expect(() => canonicalize(loneKey)).toThrow(LoneSurrogateError)

    expect(() => canonicalize(large(100), { maxDepth: 1 })).toThrow(MaxDepthExceededError)
  })
})

describe('past the walk budget, as many records as a large document has', () => {
  const count = 5000
  test('sorted keys in both forms', () => {
    expect(canonicalize(large(count))).toBe(largeText(count))
    expect(canonicalize(large(count), { ascii: true })).toBe(
      largeText(count).replaceAll('é', '\\u00e9'),
    )
  })

  test('array-index keys, an own __proto__ and toJSON leave the copy for the exact walk', () => {
    const indexKeys = large(count, (index) => ({ 2: 'two', 10: 'ten', b: index }))
    expect(canonicalize(indexKeys)).toBe(
      `[${Array.from({ length: count }, (_, index) => `{"10":"ten","2":"two","b":${index}}`).join(',')}]`,
    )
    const proto = large(count, (index) => Object.fromEntries([['__proto__', index]]))
    expect(canonicalize(proto)).toBe(
      `[${Array.from({ length: count }, (_, index) => `{"__proto__":${index}}`).join(',')}]`,
    )
    const keys: string[] = []
    const withToJson = large(count, (index) => ({
      b: index === count - 1 ? { toJSON: (key: string) => keys.push(key) } : index,
    }))
    expect(canonicalize(withToJson).endsWith(`{"b":1}]`)).toBe(true)
    expect(keys).toEqual(['b'])
  })

  test('refusals keep their class and path', () => {
    const lone = large(count, (index) => ({ text: index === count - 1 ? 'a\ud800' : 'ok' }))
    try {
      canonicalize(lone, { ascii: true })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(LoneSurrogateError)
      expect((error as LoneSurrogateError).path).toBe(`$[${count - 1}].text`)
    }
    const withCycle = large(count) as Record<string, unknown>[]
    withCycle[count - 1]!.self = withCycle
    expect(() => canonicalize(withCycle)).toThrow(CircularReferenceError)
    expect(() => canonicalize(large(count), { maxDepth: 1 })).toThrow(MaxDepthExceededError)
  })

  test('nesting past the recursion limit inside a large value is written exactly', () => {
    let deep: unknown = 0
    for (let level = 0; level < 2000; level++) deep = { a: deep }
    expect(canonicalize([...large(count), deep])).toBe(
      `${largeText(count).slice(0, -1)},${'{"a":'.repeat(2000)}0${'}'.repeat(2000)}]`,
    )
  })
})
