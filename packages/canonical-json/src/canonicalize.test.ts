import { describe, expect, test } from 'vitest'
import { BaseError } from './BaseError.js'
import { sha256Hex } from './canonicalHash.js'
import {
  CircularReferenceError,
  canonicalize,
  defaultMaxDepth,
  InvalidNumberError,
  InvalidValueError,
  LoneSurrogateError,
  MaxDepthExceededError,
  toAscii,
  UnsupportedValueError,
} from './canonicalize.js'

/** Runs `run`, expects it to throw, and returns what it threw. */
function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

/** The fields of a refusal that tests compare: class name, path and message. */
function shape(run: () => unknown) {
  const error = thrown(run)
  if (!(error instanceof InvalidValueError)) throw error
  return {
    name: error.name,
    path: error.path,
    pathSegments: error.pathSegments,
    shortMessage: error.shortMessage,
    details: error.details,
  }
}

describe('raw form', () => {
  test('sorts keys recursively, keeps array order, writes no whitespace', () => {
    expect(canonicalize({ skip: 0, limit: 50 })).toBe('{"limit":50,"skip":0}')
    expect(canonicalize({ b: [3, 1, { d: 1, c: [{ z: 0, y: 1 }] }], a: null })).toBe(
      '{"a":null,"b":[3,1,{"c":[{"y":1,"z":0}],"d":1}]}',
    )
  })

  test('scalars at the top', () => {
    expect(canonicalize(null)).toBe('null')
    expect(canonicalize(true)).toBe('true')
    expect(canonicalize(false)).toBe('false')
    expect(canonicalize(0)).toBe('0')
    expect(canonicalize('')).toBe('""')
    expect(canonicalize('text')).toBe('"text"')
    expect(canonicalize([])).toBe('[]')
    expect(canonicalize({})).toBe('{}')
  })

  test('numbers are written as ECMAScript writes them', () => {
    expect(canonicalize([1, -1, 1.5, 1e21, 1e-7, 0.1, 2 ** 53 - 1, -(2 ** 53 - 1)])).toBe(
      '[1,-1,1.5,1e+21,1e-7,0.1,9007199254740991,-9007199254740991]',
    )
    expect(canonicalize(1.0)).toBe('1')
  })

  test('-0 writes 0, as JSON.stringify does', () => {
    expect(canonicalize(-0)).toBe('0')
    expect(canonicalize({ amount: -0 })).toBe('{"amount":0}')
    expect(canonicalize([-0])).toBe(JSON.stringify([-0]))
  })

  test('keys sort by UTF-16 code units, not code points or locale', () => {
    // U+1F600 is the pair D83D DE00, so it sorts before U+E000 although its code point is higher;
    // upper case (0x41..) sorts before lower case (0x61..); "10" before "9" as text.
    expect(canonicalize({ '\ue000': 1, '😀': 2, a: 3, B: 4, '9': 5, '10': 6, '': 7 })).toBe(
      '{"":7,"10":6,"9":5,"B":4,"a":3,"😀":2,"\ue000":1}',
    )
  })

  test('small and large objects sort the same way', () => {
    // Reference order written out by hand: compare UTF-16 code units one by one.
    const byCodeUnits = (a: string, b: string) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const difference = a.charCodeAt(i) - b.charCodeAt(i)
        if (difference !== 0) return difference
      }
      return a.length - b.length
    }
    const alphabet = ['b', 'a', 'ab', 'aa', 'A', '\u00e9', '😀', '\uffff', '\ue000', '1', '01', '_']
    for (const size of [2, 5, 16, 17, 40]) {
      const keys = Array.from({ length: size }, (_, i) => `${alphabet[(i * 7) % 12]}${i % 3}${i}`)
      const value = Object.fromEntries(keys.map((key) => [key, 0]))
      const expected = `{${[...keys]
        .sort(byCodeUnits)
        .map((key) => `"${key}":0`)
        .join(',')}}`
      expect(canonicalize(value)).toBe(expected)
    }
  })

  test('integer-like keys sort as text, unlike their JavaScript property order', () => {
    const value = { '2': 'b', '10': 'a', x: 'c' }
    expect(Object.keys(value)).toEqual(['2', '10', 'x'])
    expect(canonicalize(value)).toBe('{"10":"a","2":"b","x":"c"}')
  })

  test('strings are escaped as JSON.stringify escapes them', () => {
    const text = 'quote " backslash \\ slash / tab \t nl \n cr \r bs \b ff \f nul \u0000 us \u001f'
    expect(canonicalize(text)).toBe(
      '"quote \\" backslash \\\\ slash / tab \\t nl \\n cr \\r bs \\b ff \\f nul \\u0000 us \\u001f"',
    )
    expect(canonicalize(text)).toBe(JSON.stringify(text))
  })

  test('non-ASCII characters, DEL and U+2028 stay as themselves', () => {
    expect(canonicalize({ text: 'café 😀 \u007f \u2028' })).toBe('{"text":"café 😀 \u007f \u2028"}')
  })

  test('equals JSON.stringify of the recursively sorted value', () => {
    const value = { z: { y: [1, { b: 'x', a: 'y' }], x: 'é' }, a: [true, null] }
    const sorted = { a: [true, null], z: { x: 'é', y: [1, { a: 'y', b: 'x' }] } }
    expect(canonicalize(value)).toBe(JSON.stringify(sorted))
  })

  test('undefined object properties are left out', () => {
    expect(canonicalize({ a: undefined, b: 1, c: undefined })).toBe('{"b":1}')
    expect(canonicalize({ a: undefined })).toBe('{}')
    expect(canonicalize({ a: { b: undefined }, c: [{ d: undefined }] })).toBe('{"a":{},"c":[{}]}')
  })

  test('symbol keys are ignored, as JSON.stringify ignores them', () => {
    expect(canonicalize({ [Symbol('hidden')]: 1, a: 2 })).toBe('{"a":2}')
  })

  test('objects without a prototype are plain objects', () => {
    const value = Object.create(null) as Record<string, unknown>
    value.b = 1
    value.a = 2
    expect(canonicalize(value)).toBe('{"a":2,"b":1}')
  })

  test('shared references that are not cycles are written each time', () => {
    const shared = { id: 1 }
    const list = [shared]
    expect(canonicalize({ a: shared, b: shared, c: [shared, list, list] })).toBe(
      '{"a":{"id":1},"b":{"id":1},"c":[{"id":1},[{"id":1}],[{"id":1}]]}',
    )
  })
})

describe('toJSON', () => {
  test('a Date is written through its toJSON', () => {
    const postedAt = new Date(Date.UTC(2026, 10, 22, 7, 28, 36))
    expect(canonicalize({ posted_at: postedAt })).toBe('{"posted_at":"2026-11-22T07:28:36.000Z"}')
    expect(canonicalize([postedAt])).toBe('["2026-11-22T07:28:36.000Z"]')
    expect(canonicalize(postedAt)).toBe('"2026-11-22T07:28:36.000Z"')
  })

  test('receives the key as JSON.stringify passes it, and its result is canonicalised', () => {
    const keys: string[] = []
    const probe = {
      toJSON(key: string) {
        keys.push(key)
        return { z: key, a: [1] }
      },
    }
    const value = { member: probe, list: [probe, probe] }
    expect(canonicalize(value)).toBe(
      '{"list":[{"a":[1],"z":"0"},{"a":[1],"z":"1"}],"member":{"a":[1],"z":"member"}}',
    )
    expect(keys).toEqual(['0', '1', 'member'])
    keys.length = 0
    canonicalize(probe)
    expect(keys).toEqual([''])
  })

  test('a class instance with toJSON is accepted', () => {
    class Amount {
      constructor(readonly cents: number) {}
      toJSON() {
        return { cents: this.cents, currency: 'USD' }
      }
    }
    expect(canonicalize({ amount: new Amount(150) })).toBe(
      '{"amount":{"cents":150,"currency":"USD"}}',
    )
  })

  test('a property whose toJSON returns undefined is left out, as JSON.stringify does', () => {
    const gone = { toJSON: () => undefined }
    expect(canonicalize({ gone, kept: 1 })).toBe('{"kept":1}')
    expect(JSON.stringify({ gone, kept: 1 })).toBe('{"kept":1}')
  })

  test('each toJSON runs once per occurrence, also when a fast writer gives up', () => {
    let calls = 0
    const counter = { toJSON: () => ++calls }
    const small = { a: counter }
    const large = { a: counter, z: Array.from({ length: 100 }, (_, i) => i) }
    const unorderable = { ...large, '10': 1, '2': 2 }
    for (const value of [small, large, unorderable]) {
      calls = 0
      expect(canonicalize(value)).toMatch(/^\{("10":1,"2":2,)?"a":1[,}]/)
      expect(calls).toBe(1)
    }
    calls = 0
    expect(() => canonicalize({ a: counter, z: [...large.z, '\ud800'] })).toThrow(
      LoneSurrogateError,
    )
    expect(calls).toBe(1)
  })

  test('toJSON returning a refused value is refused at that path', () => {
    expect(() => canonicalize({ a: { toJSON: () => Number.NaN } })).toThrow(InvalidNumberError)
    expect(() => canonicalize([{ toJSON: () => undefined }])).toThrow(UnsupportedValueError)
  })
})

describe('ascii form', () => {
  test('byte for byte what Python json.dumps(ensure_ascii=True, sort_keys=True) writes', () => {
    // Expected string from python3: json.dumps({"b":1,"a":[1,"é😀\x7f\u2028\x01\n\"\\\t\b\f\r/"]},
    //   sort_keys=True, separators=(",",":"), ensure_ascii=True)
    expect(
      canonicalize({ b: 1, a: [1, 'é😀\u007f\u2028\u0001\n"\\\t\b\f\r/'] }, { ascii: true }),
    ).toBe('{"a":[1,"\\u00e9\\ud83d\\ude00\\u007f\\u2028\\u0001\\n\\"\\\\\\t\\b\\f\\r/"],"b":1}')
  })

  test('escapes lower-case hex, astral characters as a surrogate pair, keys too', () => {
    expect(canonicalize({ Ñ: 'ÿ\uffff', emoji: '😀' }, { ascii: true })).toBe(
      '{"emoji":"\\ud83d\\ude00","\\u00d1":"\\u00ff\\uffff"}',
    )
  })

  test('printable ASCII is left alone', () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i))
      .join('')
      .replace(/["\\]/g, '')
    expect(canonicalize(printable, { ascii: true })).toBe(`"${printable}"`)
  })

  test('toAscii turns raw canonical text into the ascii form', () => {
    expect(toAscii('{"emoji":"😀","text":"é"}')).toBe('{"emoji":"\\ud83d\\ude00","text":"\\u00e9"}')
    expect(toAscii('{"a":1}')).toBe('{"a":1}')
  })

  test('ascii: false and no option give the raw form', () => {
    expect(canonicalize('é', { ascii: false })).toBe('"é"')
    expect(canonicalize('é', { ascii: undefined })).toBe('"é"')
  })
})

describe('refused values', () => {
  test('NaN, Infinity and -Infinity', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const error = thrown(() => canonicalize({ social_posts: [{ reward: value }] }))
      expect(error).toBeInstanceOf(InvalidNumberError)
      expect(error).toMatchObject({ path: '$.social_posts[0].reward' })
    }
    expect(shape(() => canonicalize({ reward: Number.NEGATIVE_INFINITY }))).toMatchInlineSnapshot(`
      {
        "details": "JSON has no NaN or Infinity; send a finite number or a string.",
        "name": "CanonicalJson.InvalidNumberError",
        "path": "$.reward",
        "pathSegments": [
          "reward",
        ],
        "shortMessage": "Non-finite number -Infinity at $.reward.",
      }
    `)
    expect(shape(() => canonicalize(Number.NaN)).path).toBe('$')
  })

  test('a bigint', () => {
    expect(shape(() => canonicalize({ amount: 10n }))).toMatchInlineSnapshot(`
      {
        "details": "Convert it to a string or, within ±(2^53-1), to a number before hashing.",
        "name": "CanonicalJson.UnsupportedValueError",
        "path": "$.amount",
        "pathSegments": [
          "amount",
        ],
        "shortMessage": "Cannot write the bigint 10n as JSON at $.amount.",
      }
    `)
    expect(() => canonicalize(1n)).toThrow(UnsupportedValueError)
  })

  test('a function or a symbol, in an object, an array or at the top', () => {
    expect(shape(() => canonicalize({ job: { run() {} } }))).toMatchInlineSnapshot(`
      {
        "details": "Convert it to a plain object, array, string, number, boolean or null first.",
        "name": "CanonicalJson.UnsupportedValueError",
        "path": "$.job.run",
        "pathSegments": [
          "job",
          "run",
        ],
        "shortMessage": "Cannot write a function as JSON at $.job.run.",
      }
    `)
    expect(shape(() => canonicalize([1, Symbol('s')]))).toMatchObject({
      name: 'CanonicalJson.UnsupportedValueError',
      path: '$[1]',
      shortMessage: 'Cannot write a symbol as JSON at $[1].',
    })
    expect(() => canonicalize(() => 1)).toThrow(UnsupportedValueError)
    expect(() => canonicalize(Symbol('top'))).toThrow(UnsupportedValueError)
  })

  test('undefined in an array, at the top, or in a sparse array hole', () => {
    expect(shape(() => canonicalize({ posts: [1, undefined] }))).toMatchInlineSnapshot(`
      {
        "details": "Leave the member out, or use null.",
        "name": "CanonicalJson.UnsupportedValueError",
        "path": "$.posts[1]",
        "pathSegments": [
          "posts",
          1,
        ],
        "shortMessage": "Cannot write undefined as JSON at $.posts[1].",
      }
    `)
    expect(shape(() => canonicalize(undefined)).path).toBe('$')
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the test
    expect(shape(() => canonicalize([0, , 2])).path).toBe('$[1]')
  })

  test('class instances, Map, Set, boxed primitives, typed arrays', () => {
    class Post {
      platform = 'x'
    }
    expect(shape(() => canonicalize({ social_posts: [new Post()] }))).toMatchInlineSnapshot(`
      {
        "details": "Convert it to a plain object, array, string, number, boolean or null first.",
        "name": "CanonicalJson.UnsupportedValueError",
        "path": "$.social_posts[0]",
        "pathSegments": [
          "social_posts",
          0,
        ],
        "shortMessage": "Cannot write an instance of Post as JSON at $.social_posts[0].",
      }
    `)
    const refused: [unknown, string][] = [
      [new Map([['a', 1]]), 'Map'],
      [new Set([1]), 'Set'],
      [Object('text'), 'String'],
      [Object(1), 'Number'],
      [Object(true), 'Boolean'],
      [new Uint8Array(2), 'Uint8Array'],
      [/regex/, 'RegExp'],
    ]
    for (const [value, name] of refused) {
      const error = thrown(() => canonicalize({ value }))
      expect(error).toBeInstanceOf(UnsupportedValueError)
      expect(error).toMatchObject({
        path: '$.value',
        shortMessage: `Cannot write an instance of ${name} as JSON at $.value.`,
      })
    }
  })

  test('an object whose prototype has no constructor name is still described', () => {
    const value = Object.create({}) as object
    expect(shape(() => canonicalize(value)).shortMessage).toBe(
      'Cannot write an instance of Object as JSON at $.',
    )
    const nameless = Object.create(Object.create(null)) as object
    expect(shape(() => canonicalize(nameless)).shortMessage).toBe(
      'Cannot write an instance of an unknown class as JSON at $.',
    )
  })

  test('a lone surrogate in a string', () => {
    expect(
      shape(() => canonicalize({ social_posts: [{ message_text: 'hi \ud83d!' }] })),
    ).toMatchInlineSnapshot(`
        {
          "details": "Code unit 3 is an unpaired surrogate (0xd83d); it cannot be encoded as UTF-8.",
          "name": "CanonicalJson.LoneSurrogateError",
          "path": "$.social_posts[0].message_text",
          "pathSegments": [
            "social_posts",
            0,
            "message_text",
          ],
          "shortMessage": "String with a lone surrogate at $.social_posts[0].message_text.",
        }
      `)
    for (const text of ['\ud800', '\udc00', 'a\udfffb', '\ude00\ud83d', '😀\ud83d', '\ud83d😀']) {
      expect(() => canonicalize([text])).toThrow(LoneSurrogateError)
      expect(() => canonicalize([text], { ascii: true })).toThrow(LoneSurrogateError)
    }
  })

  test('the details name the lone surrogate even after a U+FFFD or a valid pair', () => {
    // Regression: the index was once found by looking for U+FFFD in the repaired text.
    expect(shape(() => canonicalize('\ufffd\ud800')).details).toBe(
      'Code unit 1 is an unpaired surrogate (0xd800); it cannot be encoded as UTF-8.',
    )
    expect(shape(() => canonicalize('😀x\udc01')).details).toBe(
      'Code unit 3 is an unpaired surrogate (0xdc01); it cannot be encoded as UTF-8.',
    )
  })

  test('a lone surrogate in a key', () => {
    expect(shape(() => canonicalize({ posts: { 'a\udc00': 1 } }))).toMatchInlineSnapshot(`
      {
        "details": "Code unit 1 is an unpaired surrogate (0xdc00); it cannot be encoded as UTF-8.",
        "name": "CanonicalJson.LoneSurrogateError",
        "path": "$.posts["a�"]",
        "pathSegments": [
          "posts",
          "a\udc00",
        ],
        "shortMessage": "Key with a lone surrogate at $.posts["a�"].",
      }
    `)
  })

  test('a well-formed astral character is not a lone surrogate', () => {
    expect(canonicalize({ '😀': '😀' })).toBe('{"😀":"😀"}')
  })

  test('every refusal is an InvalidValueError and a BaseError', () => {
    const cases: unknown[] = [Number.NaN, 1n, () => 1, Symbol('s'), undefined, '\ud800', new Map()]
    for (const value of cases) {
      const error = thrown(() => canonicalize([value]))
      expect(error).toBeInstanceOf(InvalidValueError)
      expect(error).toBeInstanceOf(BaseError)
      expect(error).toBeInstanceOf(Error)
      expect((error as InvalidValueError).path).toBe('$[0]')
      expect((error as Error).message).toContain('at $[0].')
      expect((error as BaseError).docsPath).toBe('/documents/Protocol.html#canonical-json')
    }
  })
})

describe('cycles', () => {
  test('an object that contains itself', () => {
    const post: Record<string, unknown> = { platform: 'x' }
    post.self = post
    expect(shape(() => canonicalize(post))).toMatchInlineSnapshot(`
      {
        "details": "The value is the same object as its ancestor at $.",
        "name": "CanonicalJson.CircularReferenceError",
        "path": "$.self",
        "pathSegments": [
          "self",
        ],
        "shortMessage": "Circular reference at $.self.",
      }
    `)
  })

  test('a cycle through arrays names the repeat and its ancestor', () => {
    const list: unknown[] = []
    const job = { id: 'job_1', history: [list] }
    list.push(1, job)
    expect(shape(() => canonicalize({ jobs: [job] }))).toMatchObject({
      name: 'CanonicalJson.CircularReferenceError',
      path: '$.jobs[0].history[0][1]',
      shortMessage: 'Circular reference at $.jobs[0].history[0][1].',
      details: 'The value is the same object as its ancestor at $.jobs[0].',
    })
    const array: unknown[] = []
    array.push(array)
    expect(shape(() => canonicalize(array))).toMatchObject({ path: '$[0]' })
  })

  test('a cycle deep in a value is found, whatever the depth it starts at', () => {
    for (const start of [3, 5, 6, 7, 100, 1000]) {
      const loop: Record<string, unknown> = {}
      loop.child = { back: loop }
      let value: unknown = loop
      for (let i = 0; i < start; i++) value = [value]
      const error = thrown(() => canonicalize(value))
      expect(error).toBeInstanceOf(CircularReferenceError)
      const segments = [...Array.from({ length: start }, () => 0), 'child', 'back']
      expect((error as CircularReferenceError).pathSegments).toEqual(segments)
    }
  })

  test('a cycle through toJSON is found', () => {
    const parent: Record<string, unknown> = {}
    parent.child = { toJSON: () => parent }
    expect(() => canonicalize(parent)).toThrow(CircularReferenceError)
  })

  test('a cycle beyond maxDepth is still reported as a cycle', () => {
    const loop: unknown[] = []
    loop.push(loop)
    expect(() => canonicalize(loop, { maxDepth: 1 })).toThrow(CircularReferenceError)
  })
})

describe('depth', () => {
  function nestedArrays(depth: number): unknown {
    let value: unknown = 0
    for (let i = 0; i < depth; i++) value = [value]
    return value
  }
  function nestedObjects(depth: number): unknown {
    let value: unknown = 0
    for (let i = 0; i < depth; i++) value = { a: value }
    return value
  }

  test('200,000 levels of arrays: no stack overflow, the exact text', () => {
    const depth = 200_000
    expect(canonicalize(nestedArrays(depth))).toBe(`${'['.repeat(depth)}0${']'.repeat(depth)}`)
  })

  test('200,000 levels of objects: no stack overflow, the exact text', () => {
    const depth = 200_000
    const expected = `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`
    expect(canonicalize(nestedObjects(depth))).toBe(expected)
    expect(canonicalize(nestedObjects(depth), { ascii: true })).toBe(expected)
  })

  test('the default limit is documented and large', () => {
    expect(defaultMaxDepth).toBe(1_000_000)
  })

  test('maxDepth counts nested containers; scalars never count', () => {
    expect(canonicalize([[1]], { maxDepth: 2 })).toBe('[[1]]')
    expect(canonicalize(1, { maxDepth: 0 })).toBe('1')
    expect(canonicalize({ a: {} }, { maxDepth: 2 })).toBe('{"a":{}}')
    expect(shape(() => canonicalize([[[1]]], { maxDepth: 2 }))).toMatchInlineSnapshot(`
      {
        "details": "Flatten the value, or raise the maxDepth option if the receiver accepts it.",
        "name": "CanonicalJson.MaxDepthExceededError",
        "path": "$[0][0]",
        "pathSegments": [
          0,
          0,
        ],
        "shortMessage": "Nesting deeper than 2 levels at $[0][0].",
      }
    `)
    expect(shape(() => canonicalize({}, { maxDepth: 0 })).path).toBe('$')
  })

  test('a deep refusal shortens the path in the message, keeps every segment', () => {
    const error = thrown(() => canonicalize(nestedObjects(5000), { maxDepth: 1000 }))
    expect(error).toBeInstanceOf(MaxDepthExceededError)
    const { path, pathSegments, shortMessage } = error as MaxDepthExceededError
    expect(pathSegments).toHaveLength(1000)
    expect(path).toBe('$.a.a.a.a.a.a.a.a…(984 levels)….a.a.a.a.a.a.a.a')
    expect(shortMessage).toBe(`Nesting deeper than 1,000 levels at ${path}.`)
  })

  test('beyond the default limit is refused, not a stack overflow', () => {
    const error = thrown(() => canonicalize(nestedArrays(defaultMaxDepth + 1)))
    expect(error).toBeInstanceOf(MaxDepthExceededError)
    expect((error as MaxDepthExceededError).pathSegments).toHaveLength(defaultMaxDepth)
  })

  test('a toJSON that nests forever stops at maxDepth', () => {
    const endless = { toJSON: () => ({ next: endless }) }
    expect(() => canonicalize(endless, { maxDepth: 50 })).toThrow(MaxDepthExceededError)
  })
})

describe('options', () => {
  test.each([Number.NaN, -1, 1.5, Number.NEGATIVE_INFINITY])(
    'maxDepth %s is refused',
    (maxDepth) => {
      expect(() => canonicalize({}, { maxDepth })).toThrowError(
        expect.objectContaining({ name: 'CanonicalJson.InvalidOptionError', option: 'maxDepth' }),
      )
    },
  )

  test('maxDepth Infinity lifts the limit', () => {
    expect(canonicalize([[[1]]], { maxDepth: Number.POSITIVE_INFINITY })).toBe('[[[1]]]')
  })

  test('toJSON of an array element receives its index as a string', () => {
    const keys: unknown[] = []
    const spy = {
      toJSON: (key: unknown) => {
        keys.push(key)
        return 1
      },
    }
    canonicalize([spy, spy])
    expect(keys).toEqual(['0', '1'])
  })
})

describe('arguments of the wrong type', () => {
  test.each([
    ['options null', () => canonicalize({}, null as never), 'options'],
    ['options a string', () => canonicalize({}, 'ascii' as never), 'options'],
    ['toAscii of a number', () => toAscii(5 as never), 'canonicalRaw'],
    ['sha256Hex of a number', () => sha256Hex(5 as never), 'text'],
  ])('%s is a typed error', (_, call, option) => {
    expect(call).toThrowError(
      expect.objectContaining({ name: 'CanonicalJson.InvalidOptionError', option }),
    )
  })
})
