import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { canonicalHash, sha256Hex } from './canonicalHash.js'
import {
  CircularReferenceError,
  canonicalize,
  InvalidNumberError,
  LoneSurrogateError,
  MaxDepthExceededError,
  UnsupportedValueError,
} from './canonicalize.js'

// The language-neutral vectors of /vectors (see vectors/README.md). Their expected values come
// from JSON.stringify and Python's json/hashlib, never from this package.

type Divergence = { kind: string; python_ascii: string; note: string }
type CanonicalCase = {
  id: string
  description: string
  input: string
  raw: string
  ascii: string
  raw_sha256: string
  ascii_sha256: string
  divergence?: Divergence
}
type NegativeCase = {
  id: string
  kind: 'canonical' | 'message' | 'parse'
  description: string
  input: unknown
  error: string
  why: string
  path?: string
  options?: { max_depth?: number }
}
type VectorFile<item> = { $schema: string; description: string; count: number; cases: item[] }

function load<item>(topic: string): VectorFile<item> {
  const url = new URL(`../../../vectors/${topic}/cases.json`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as VectorFile<item>
}

const canonicalFile = load<CanonicalCase>('canonical-json')
const negativeCases = load<NegativeCase>('negative').cases.filter(
  (item) => item.kind === 'canonical',
)

const sha256Pattern = /^[0-9a-f]{64}$/
const divergenceKinds = ['astral_key_order', 'float', 'negative_zero', 'integer_precision']

describe('vectors/canonical-json/cases.json', () => {
  test('has the documented shape', () => {
    const { cases } = canonicalFile
    expect(canonicalFile.$schema).toBe('../schema/canonical-json.schema.json')
    expect(canonicalFile.count).toBe(cases.length)
    expect(cases.length).toBeGreaterThanOrEqual(150)
    expect(new Set(cases.map((item) => item.id)).size).toBe(cases.length)
    for (const item of cases) {
      const keys = ['id', 'description', 'input', 'raw', 'ascii', 'raw_sha256', 'ascii_sha256']
      expect(Object.keys(item).sort(), item.id).toEqual(
        [...keys, ...(item.divergence ? ['divergence'] : [])].sort(),
      )
      for (const key of keys)
        expect(typeof item[key as keyof CanonicalCase], `${item.id}.${key}`).toBe('string')
      expect(item.raw_sha256).toMatch(sha256Pattern)
      expect(item.ascii_sha256).toMatch(sha256Pattern)
      expect(item.ascii).toMatch(/^[\x20-\x7e]*$/)
      if (item.divergence) {
        expect(Object.keys(item.divergence).sort()).toEqual(['kind', 'note', 'python_ascii'])
        expect(divergenceKinds).toContain(item.divergence.kind)
        expect(item.divergence.python_ascii).not.toBe(item.ascii)
      }
    }
  })

  test('marks every divergence kind PROTOCOL section 1 names', () => {
    const kinds = new Set(canonicalFile.cases.map((item) => item.divergence?.kind))
    for (const kind of divergenceKinds) expect(kinds).toContain(kind)
  })

  describe.each(canonicalFile.cases)('$id', (item) => {
    const value: unknown = JSON.parse(item.input)

    test('raw form and its hash', () => {
      expect(canonicalize(value)).toBe(item.raw)
      expect(canonicalHash(value)).toBe(item.raw_sha256)
      expect(sha256Hex(item.raw)).toBe(item.raw_sha256)
    })

    test('ascii form and its hash', () => {
      expect(canonicalize(value, { ascii: true })).toBe(item.ascii)
      expect(canonicalHash(value, { ascii: true })).toBe(item.ascii_sha256)
    })
  })
})

/** Decodes the `{"$special": ...}` encoding of vectors/README.md into the JavaScript value. */
function decode(encoded: unknown, ancestors: readonly object[] = []): unknown {
  if (Array.isArray(encoded)) {
    const array: unknown[] = []
    for (const member of encoded) array.push(decode(member, [...ancestors, array]))
    return array
  }
  if (typeof encoded !== 'object' || encoded === null) return encoded
  const tagged = encoded as Record<string, unknown>
  if (!('$special' in tagged)) {
    const object: Record<string, unknown> = {}
    for (const [key, member] of Object.entries(tagged))
      object[key] = decode(member, [...ancestors, object])
    return object
  }
  switch (tagged.$special) {
    case 'NaN':
      return Number.NaN
    case 'Infinity':
      return Number.POSITIVE_INFINITY
    case '-Infinity':
      return Number.NEGATIVE_INFINITY
    case 'undefined':
      return undefined
    case 'bigint':
      return BigInt(tagged.value as string)
    case 'function':
      return () => undefined
    case 'symbol':
      return Symbol('vector')
    case 'class_instance':
      return new (class Point {
        x = 1
      })()
    case 'map':
      return new Map([['a', 1]])
    case 'utf16':
      return String.fromCharCode(...(tagged.units as string[]).map((unit) => parseInt(unit, 16)))
    case 'entries': {
      const object: Record<string, unknown> = {}
      for (const [key, member] of tagged.entries as [unknown, unknown][])
        object[decode(key) as string] = decode(member, [...ancestors, object])
      return object
    }
    case 'ancestor':
      return ancestors[ancestors.length - (tagged.levels as number)]
    case 'nest': {
      let value = decode(tagged.leaf)
      for (let level = 0; level < (tagged.depth as number); level++) value = [value]
      return value
    }
    default:
      throw new Error(`unknown $special ${String(tagged.$special)}`)
  }
}

const errorClasses: Record<string, new (...args: never[]) => Error> = {
  non_finite_number: InvalidNumberError,
  bigint: UnsupportedValueError,
  undefined_in_array: UnsupportedValueError,
  undefined_value: UnsupportedValueError,
  unsupported_value: UnsupportedValueError,
  lone_surrogate: LoneSurrogateError,
  cycle: CircularReferenceError,
  max_depth: MaxDepthExceededError,
}

describe('vectors/negative/cases.json, kind canonical', () => {
  test('every error kind has a class', () => {
    expect(negativeCases.length).toBeGreaterThanOrEqual(15)
    for (const item of negativeCases) expect(errorClasses, item.id).toHaveProperty(item.error)
  })

  test.for(negativeCases)('$id is refused', (item) => {
    const value = decode(item.input)
    const options =
      item.options?.max_depth === undefined ? {} : { maxDepth: item.options.max_depth }
    // The ascii option only changes how strings are written; the deep case runs once to save time.
    for (const ascii of item.error === 'max_depth' ? [false] : [false, true]) {
      let thrown: unknown
      try {
        canonicalize(value, { ...options, ascii })
      } catch (error) {
        thrown = error
      }
      expect(thrown, item.id).toBeInstanceOf(errorClasses[item.error])
      if (item.path !== undefined) expect((thrown as { path: string }).path).toBe(item.path)
    }
  })
})
