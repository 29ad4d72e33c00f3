import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { canonicalize, InvalidValueError } from '../canonicalize.js'
import { bail } from './bail.js'
import { exactWalk, Refusal } from './exactWalk.js'
import { sortedCopy } from './sortedCopy.js'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)

// The fast paths must write exactly what the exact walk writes, or bail. Values here mix in what
// they treat specially: array-index keys ("2", "10", next to "02" and "-1"), `__proto__`,
// `toJSON`, undefined members, escapes and non-ASCII text.

const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('2', '10', '0', '02', '-1', '4294967294', '4294967295', '1e3', '__proto__'),
  fc.constantFrom('a"b', 'back\\slash', 'tab\t', 'é', '東京', '😀', '\u007f'),
)
const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('"', '\\', '\n\u0001', 'café', 'Straße 😀', '\u2028', '\u007f'),
)
const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  text,
)

const { member } = fc.letrec<{ member: unknown }>((tie) => ({
  member: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('member'), { maxLength: 5 }),
    fc
      .uniqueArray(fc.tuple(key, fc.oneof(tie('member'), fc.constant(undefined))), {
        selector: ([name]) => name,
        maxLength: 5,
      })
      .map((entries) => Object.fromEntries(entries)),
    // What a toJSON returns is written as it is (its own toJSON is not called), so plain data.
    fc
      .oneof(scalar, fc.array(scalar), fc.dictionary(key, scalar))
      .map((inner) => ({ toJSON: () => inner })),
    fc.date({ noInvalidDate: true }),
  ),
}))

/**
 * The raw form by an independent route: `toJSON` applied as `JSON.stringify` does, members
 * sorted as arrays of entries (an object would put array-index keys first), and every scalar
 * and key written by `JSON.stringify`.
 */
function reference(value: unknown, key = ''): string | undefined {
  const resolved =
    typeof value === 'object' && value !== null && 'toJSON' in value
      ? (value as { toJSON: (key: string) => unknown }).toJSON(key)
      : value
  if (resolved === undefined) return undefined
  if (Array.isArray(resolved))
    return `[${resolved.map((item, index) => reference(item, String(index))).join(',')}]`
  if (typeof resolved === 'object' && resolved !== null) {
    const members = Object.keys(resolved)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap((name) => {
        const written = reference((resolved as Record<string, unknown>)[name], name)
        return written === undefined ? [] : [`${JSON.stringify(name)}:${written}`]
      })
    return `{${members.join(',')}}`
  }
  return JSON.stringify(resolved)
}

const escapeNonAscii = (raw: string) =>
  raw.replace(
    /[\u007f-\uffff]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )

/** The fast path's result, or `bail`. */
function attempt(write: () => string): string | typeof bail {
  try {
    return write()
  } catch (error) {
    if (error === bail) return bail
    throw error
  }
}

describe('fast paths agree with the exact walk', () => {
  test.prop([member, fc.constantFrom(0, 4, 64, Number.POSITIVE_INFINITY)], { numRuns })(
    'the exact walk, on any budget, writes the reference text, or bails, or refuses',
    (value, budget) => {
      for (const ascii of [false, true]) {
        let written: string | typeof bail
        try {
          written = attempt(() => exactWalk(value, ascii, 1_000_000, budget))
        } catch (error) {
          // Only a value with something to refuse in it (the reference has no refusals).
          expect(error).toBeInstanceOf(Refusal)
          continue
        }
        if (written === bail) {
          expect(budget).not.toBe(Number.POSITIVE_INFINITY)
          continue
        }
        const raw = reference(value)!
        expect(written).toBe(ascii ? escapeNonAscii(raw) : raw)
      }
    },
  )

  test.prop([member], { numRuns })(
    'the sorted copy stringifies to the reference, or bails',
    (value) => {
      const written = attempt(() => JSON.stringify(sortedCopy(value, 1_000_000)))
      if (written !== bail) expect(written).toBe(reference(value))
    },
  )

  test.prop([member], { numRuns })('the sorted copy bails on every array-index key', (value) => {
    const withIndexKey = { items: [value], 7: 'seven' }
    expect(attempt(() => JSON.stringify(sortedCopy(withIndexKey, 1_000_000)))).toBe(bail)
  })

  test.prop([fc.array(member, { minLength: 30, maxLength: 60 })], { numRuns })(
    'a value past the small budget (copy, then exact walk) gives the same text in both forms',
    (items) => {
      const raw = reference(items)!
      expect(canonicalize(items)).toBe(raw)
      expect(canonicalize(items, { ascii: true })).toBe(escapeNonAscii(raw))
    },
  )

  test.prop(
    [
      fc.array(member, { minLength: 30, maxLength: 60 }),
      fc.nat(),
      fc.constantFrom(Number.NaN, 1n, () => 0, undefined),
    ],
    { numRuns },
  )('an invalid value in a large value is refused at its path', (items, at, invalid) => {
    const index = at % items.length
    const value = [...items.slice(0, index), { bad: [invalid] }, ...items.slice(index + 1)]
    let error: unknown
    try {
      canonicalize(value)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InvalidValueError)
    expect((error as InvalidValueError).pathSegments).toEqual([index, 'bad', 0])
  })
})
