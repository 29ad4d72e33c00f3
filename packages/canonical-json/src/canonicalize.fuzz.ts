import { createHash } from 'node:crypto'
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { canonicalHash } from './canonicalHash.js'
import { canonicalize, LoneSurrogateError } from './canonicalize.js'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)

/** Characters the escaping rules treat specially, so that every run meets some of them. */
const specialCharacter = fc.oneof(
  fc.integer({ min: 0x00, max: 0x1f }).map((unit) => String.fromCharCode(unit)),
  fc.constantFrom('"', '\\', '/', '\u007f', '\u0080', '\u00e9', '\u2028', '\u2029', '\ufeff'),
  fc.constantFrom('\ue000', '\uf8ff', '\ufffd', '\uffff', '😀', '\u{10000}', '\u{10ffff}'),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((point) => String.fromCodePoint(point)),
)

/** Well-formed text: whole graphemes, any code point but half surrogates, and the specials. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.oneof(specialCharacter, fc.string({ unit: 'binary-ascii' })) }),
)

/** Objects built with Object.fromEntries, so that a `__proto__` key is an own property. */
function objectOf<T>(value: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> {
  return fc
    .uniqueArray(fc.tuple(text, value), { selector: ([key]) => key, maxLength: 6 })
    .map((entries) => Object.fromEntries(entries))
}

const number = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)

const { member } = fc.letrec<{ member: unknown }>((tie) => ({
  member: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    text,
    fc.array(tie('member'), { maxLength: 6 }),
    objectOf(tie('member')),
  ),
}))

/** Any JSON value, mostly objects and arrays as payloads are (a bare scalar now and then). */
const json = fc.oneof(
  { weight: 3, arbitrary: objectOf(member) },
  { weight: 2, arbitrary: fc.array(member, { maxLength: 6 }) },
  { weight: 1, arbitrary: member },
)

/** -0 is written `0` (see canonicalize.test.ts), so JSON.parse gives back +0: compare with that. */
function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0
  if (Array.isArray(value)) return value.map(withoutNegativeZero)
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, member]) => [key, withoutNegativeZero(member)]),
    )
  return value
}

/** UTF-16 code unit order, written out by hand rather than trusting the default sort. */
function byCodeUnits([a]: [string, unknown], [b]: [string, unknown]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}

/**
 * The expected raw form, built without canonicalize: JSON.stringify writes each scalar and key,
 * and the members are sorted here as arrays of entries (a sorted object would be reordered by
 * JavaScript, which puts integer-like keys first).
 */
function expectedRaw(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(expectedRaw).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value)
      .sort(byCodeUnits)
      .map(([key, member]) => `${JSON.stringify(key)}:${expectedRaw(member)}`)
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value)
}

/** The same value with every object's keys inserted in another order. */
function shuffled(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((member) => shuffled(member, random))
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[entries[i], entries[j]] = [entries[j]!, entries[i]!]
    }
    return Object.fromEntries(entries.map(([key, member]) => [key, shuffled(member, random)]))
  }
  return value
}

/** A small deterministic generator (mulberry32), seeded by fast-check so failures replay. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sha256 = (form: string) => createHash('sha256').update(form, 'utf8').digest('hex')

describe('canonicalize, for any JSON value', () => {
  test('the generator meets astral, control and other special characters, no lone surrogate', () => {
    const samples = fc.sample(fc.array(text, { minLength: 20 }), { numRuns: 50, seed: 42 }).flat()
    const all = samples.join('')
    expect(all).toMatch(/[\u0000-\u001f]/)
    expect(all).toMatch(/[\ud800-\udbff][\udc00-\udfff]/)
    expect(all).toMatch(/[\u007f-\u009f]/)
    expect(samples.every((sample) => sample.isWellFormed())).toBe(true)
  })

  test.prop([json], { numRuns })('both forms parse back to the value', (value) => {
    const raw = canonicalize(value)
    const ascii = canonicalize(value, { ascii: true })
    const expected = withoutNegativeZero(value)
    expect(JSON.parse(raw)).toStrictEqual(expected)
    expect(JSON.parse(ascii)).toStrictEqual(expected)
  })

  test.prop([json], { numRuns })('the ascii form is printable ASCII only', (value) => {
    expect(canonicalize(value, { ascii: true })).toMatch(/^[\x20-\x7e]*$/)
  })

  test.prop([json], { numRuns })(
    'each form is the canonical form of the other, parsed',
    (value) => {
      const raw = canonicalize(value)
      const ascii = canonicalize(value, { ascii: true })
      expect(canonicalize(JSON.parse(raw), { ascii: true })).toBe(ascii)
      expect(canonicalize(JSON.parse(ascii))).toBe(raw)
    },
  )

  test.prop([json], { numRuns })('is idempotent', (value) => {
    const raw = canonicalize(value)
    expect(canonicalize(JSON.parse(raw))).toBe(raw)
    const ascii = canonicalize(value, { ascii: true })
    expect(canonicalize(JSON.parse(ascii), { ascii: true })).toBe(ascii)
  })

  test.prop([json, fc.integer()], { numRuns })(
    'does not depend on the order keys were inserted in',
    (value, seed) => {
      const reordered = shuffled(value, seededRandom(seed))
      expect(canonicalize(reordered)).toBe(canonicalize(value))
      expect(canonicalize(reordered, { ascii: true })).toBe(canonicalize(value, { ascii: true }))
    },
  )

  test.prop([json], { numRuns })('raw is the sorted value as JSON.stringify writes it', (value) => {
    expect(canonicalize(value)).toBe(expectedRaw(value))
  })

  test.prop([json], { numRuns })('each hash is the SHA-256 of its form', (value) => {
    expect(canonicalHash(value)).toBe(sha256(canonicalize(value)))
    expect(canonicalHash(value, { ascii: true })).toBe(sha256(canonicalize(value, { ascii: true })))
  })
})

describe('lone surrogates', () => {
  const loneSurrogateText = fc
    .tuple(text, fc.integer({ min: 0xd800, max: 0xdfff }), fc.nat())
    .map(([base, unit, at]) => {
      const position = at % (base.length + 1)
      return base.slice(0, position) + String.fromCharCode(unit) + base.slice(position)
    })

  test.prop([loneSurrogateText], { numRuns })(
    'inserting one surrogate into well-formed text always leaves one unpaired',
    (bad) => {
      expect(bad.isWellFormed()).toBe(false)
    },
  )

  test.prop([json, loneSurrogateText, fc.boolean()], { numRuns })(
    'are refused in a string, with its path, in both forms',
    (value, bad, ascii) => {
      let error: unknown
      try {
        canonicalize({ posts: [value, bad] }, { ascii })
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(LoneSurrogateError)
      expect((error as LoneSurrogateError).pathSegments).toEqual(['posts', 1])
    },
  )

  test.prop([json, loneSurrogateText, fc.boolean()], { numRuns })(
    'are refused in a key, with its path, in both forms',
    (value, bad, ascii) => {
      let error: unknown
      try {
        canonicalize({ posts: Object.fromEntries([[bad, value]]) }, { ascii })
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(LoneSurrogateError)
      expect((error as LoneSurrogateError).pathSegments).toEqual(['posts', bad])
    },
  )
})
