import { fc, test } from '@fast-check/vitest'
import { Json } from 'ox'
import { describe, expect } from 'vitest'
import {
  CircularReferenceError,
  canonicalize,
  InvalidNumberError,
  LoneSurrogateError,
  UnsupportedValueError,
} from './canonicalize.js'

// A dev-only cross-check against ox's RFC 8785 `Json.canonicalize` (ox 1.8.3, src/core/Json.ts),
// an independent implementation (a devDependency; nothing here ships). On JSON values the raw
// forms agree. Where the inputs are not plain JSON, they part ways; every difference found is
// asserted below as it is:
//
// | input                           | ox                             | canonicalize                 |
// | ------------------------------- | ------------------------------ | ---------------------------- |
// | floats, -0                      | same text (-0 -> 0)            | same text                    |
// | undefined object property       | left out                       | left out                     |
// | Date / toJSON                   | ignored: own keys, Date -> {}  | honoured, as JSON.stringify  |
// | undefined/function/symbol in [] | null                           | UnsupportedValueError        |
// | function/symbol property        | left out                       | UnsupportedValueError        |
// | sparse array hole               | nothing: [,1], invalid JSON    | UnsupportedValueError        |
// | lone surrogate                  | escaped \ud800 (not UTF-8)     | LoneSurrogateError           |
// | Map, class instance, boxed      | own enumerable keys: {}, ...   | UnsupportedValueError        |
// | NaN, Infinity, bigint           | TypeError                      | InvalidValueError subclasses |
// | cycle                           | RangeError (stack overflow)    | CircularReferenceError       |
// | 200,000 levels of nesting       | RangeError (stack overflow)    | written                      |
// | ascii form                      | none                           | { ascii: true }              |

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)

const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }))
const jsonWith = (number: fc.Arbitrary<number>) =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      number,
      text,
      fc.array(tie('value'), { maxLength: 5 }),
      fc
        .uniqueArray(fc.tuple(text, tie('value')), { selector: ([key]) => key, maxLength: 5 })
        .map((entries) => Object.fromEntries(entries)),
    ),
  })).value

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

describe('agreement with ox Json.canonicalize', () => {
  test.prop([jsonWith(fc.oneof(fc.integer(), fc.maxSafeInteger()))], { numRuns })(
    'integer-only JSON values: the same raw form',
    (value) => {
      expect(canonicalize(value)).toBe(Json.canonicalize(value))
    },
  )

  test.prop([jsonWith(fc.double({ noNaN: true, noDefaultInfinity: true }))], { numRuns })(
    'floats, -0 included: the same raw form (both use ECMAScript number-to-string)',
    (value) => {
      expect(canonicalize(value)).toBe(Json.canonicalize(value))
    },
  )

  test('-0, exponents and undefined properties: the same', () => {
    const value = { a: -0, b: [1e21, 1e-7, 0.1, 5e-324], c: undefined }
    expect(canonicalize(value)).toBe('{"a":0,"b":[1e+21,1e-7,0.1,5e-324]}')
    expect(Json.canonicalize(value)).toBe('{"a":0,"b":[1e+21,1e-7,0.1,5e-324]}')
  })
})

describe('differences from ox Json.canonicalize', () => {
  test('toJSON: ox ignores it, so a Date becomes {}', () => {
    const value = { posted_at: new Date(0), custom: { toJSON: () => 5, other: 1 } }
    expect(canonicalize(value)).toBe('{"custom":5,"posted_at":"1970-01-01T00:00:00.000Z"}')
    expect(Json.canonicalize(value)).toBe('{"custom":{"other":1},"posted_at":{}}')
  })

  test('undefined, functions and symbols in arrays: ox writes null, we refuse', () => {
    for (const member of [undefined, () => 1, Symbol('s')]) {
      expect(Json.canonicalize([member])).toBe('[null]')
      expect(() => canonicalize([member])).toThrow(UnsupportedValueError)
    }
  })

  test('function and symbol properties: ox leaves them out, we refuse', () => {
    const value = { run() {}, tag: Symbol('s'), kept: 1 }
    expect(Json.canonicalize(value)).toBe('{"kept":1}')
    expect(() => canonicalize(value)).toThrow(UnsupportedValueError)
  })

  test('a sparse array hole: ox writes invalid JSON, we refuse', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the test
    const value = [, 1]
    expect(Json.canonicalize(value)).toBe('[,1]')
    expect(() => JSON.parse(Json.canonicalize(value))).toThrow(SyntaxError)
    expect(() => canonicalize(value)).toThrow(UnsupportedValueError)
  })

  test('a lone surrogate: ox escapes it, we refuse (it has no UTF-8 form)', () => {
    expect(Json.canonicalize(['\ud800'])).toBe('["\\ud800"]')
    expect(Json.canonicalize({ '\udc00': 1 })).toBe('{"\\udc00":1}')
    expect(() => canonicalize(['\ud800'])).toThrow(LoneSurrogateError)
    expect(() => canonicalize({ '\udc00': 1 })).toThrow(LoneSurrogateError)
  })

  test('Map, class instances and boxed primitives: ox writes their own keys, we refuse', () => {
    class Post {
      platform = 'x'
    }
    const cases: [unknown, string][] = [
      [new Map([['a', 1]]), '{}'],
      [new Post(), '{"platform":"x"}'],
      [Object('ab'), '{"0":"a","1":"b"}'],
      [Object(5), '{}'],
    ]
    for (const [value, oxText] of cases) {
      expect(Json.canonicalize(value)).toBe(oxText)
      expect(() => canonicalize(value)).toThrow(UnsupportedValueError)
    }
  })

  test('NaN, Infinity and bigint: both refuse, ox with a TypeError, we with a path', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, 1n]) {
      expect(thrown(() => Json.canonicalize({ a: value }))).toBeInstanceOf(TypeError)
      expect(thrown(() => canonicalize({ a: value }))).toMatchObject({ path: '$.a' })
    }
    expect(() => canonicalize(Number.NaN)).toThrow(InvalidNumberError)
    expect(() => canonicalize(1n)).toThrow(UnsupportedValueError)
  })

  test('undefined at the top: both refuse', () => {
    expect(thrown(() => Json.canonicalize(undefined))).toBeInstanceOf(TypeError)
    expect(() => canonicalize(undefined)).toThrow(UnsupportedValueError)
  })

  test('a cycle: ox overflows the stack, we name the path', () => {
    const post: Record<string, unknown> = {}
    post.self = post
    expect(thrown(() => Json.canonicalize(post))).toBeInstanceOf(RangeError)
    expect(thrown(() => canonicalize(post))).toBeInstanceOf(CircularReferenceError)
  })

  test('200,000 levels of nesting: ox overflows the stack, we write it', () => {
    let value: unknown = 0
    for (let i = 0; i < 200_000; i++) value = [value]
    expect(thrown(() => Json.canonicalize(value))).toBeInstanceOf(RangeError)
    expect(canonicalize(value)).toHaveLength(400_001)
  })
})
