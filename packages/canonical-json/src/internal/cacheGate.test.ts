import { describe, expect, test } from 'vitest'
import { canonicalize, InvalidNumberError, LoneSurrogateError, toAscii } from '../canonicalize.js'
import { CacheGate } from './cacheGate.js'

/** Lookups until the gate's `open` changes, each a hit when `hits(n)` says so (at most 100,000). */
function lookupsUntilTurn(gate: CacheGate, hits: (lookup: number) => boolean): number {
  const open = gate.open
  for (let lookup = 1; lookup <= 100_000; lookup++) {
    if (hits(lookup)) gate.hit()
    else gate.miss()
    if (gate.open !== open) return lookup
  }
  return Number.POSITIVE_INFINITY
}

describe('CacheGate', () => {
  test('stays open while the cache hits', () => {
    expect(lookupsUntilTurn(new CacheGate(), () => true)).toBe(Number.POSITIVE_INFINITY)
    // A quarter of lookups hitting is enough.
    expect(lookupsUntilTurn(new CacheGate(), (lookup) => lookup % 4 === 0)).toBe(
      Number.POSITIVE_INFINITY,
    )
  })

  test('closes after one window of misses, stays closed far longer, then samples again', () => {
    const gate = new CacheGate()
    const window = lookupsUntilTurn(gate, () => false)
    expect(window).toBeGreaterThan(16)
    expect(window).toBeLessThanOrEqual(1024)
    expect(gate.open).toBe(false)
    const closed = lookupsUntilTurn(gate, () => false)
    expect(closed).toBeGreaterThanOrEqual(8 * window)
    expect(gate.open).toBe(true)
    // Sampling finds the input has not changed: closed again after one window.
    expect(lookupsUntilTurn(gate, () => false)).toBe(window)
    lookupsUntilTurn(gate, () => false)
    // ...and once it hits again, open for good.
    expect(lookupsUntilTurn(gate, () => true)).toBe(Number.POSITIVE_INFINITY)
  })

  test('closes when just under a quarter of lookups hit', () => {
    expect(lookupsUntilTurn(new CacheGate(), (lookup) => lookup % 5 === 0)).toBeLessThan(1024)
  })
})

/** The canonical raw text, written independently: entries sorted, scalars by JSON.stringify. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  const members = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${reference((value as Record<string, unknown>)[key])}`)
  return `{${members.join(',')}}`
}

describe('canonicalize while its caches open and close', () => {
  test('writes repeated shapes and unique keys alike, in both forms', () => {
    // Phases of unique keys (the caches close) and of repeated shapes (they hit again), long
    // enough to cross several windows of both gates.
    const shapes = [
      (n: number) => ({ zeta: n, alpha: 'a', mid: [n, { b: 1, a: 2 }] }),
      (n: number) => ({ 'q"uote': n, 'caf\u00e9': true, '\u{1f600}': null, '10': 'x', '9': 'y' }),
    ]
    // Keys inserted out of order, so that a list left unsorted shows.
    const unique = (n: number) => ({
      [`plain_${n}`]: { [`é${n}`]: n, [`inner\u0001${n}`]: 'v' },
      [`k\n${n}\u{1f680}`]: n,
      [`${n}`]: [n],
    })
    // Raw and ascii are written from different values: the same keys twice would be cache hits.
    const make = (phase: number, n: number) =>
      phase % 2 === 0 ? unique(n) : shapes[Math.abs(n) % 2]!(n)
    for (let phase = 0; phase < 4; phase++)
      for (let n = 0; n < 3000; n++) {
        const value = make(phase, n)
        const other = make(phase, -1 - n)
        const raw = canonicalize(value)
        const ascii = canonicalize(other, { ascii: true })
        const expected = { raw: reference(value), ascii: toAscii(reference(other)) }
        if (raw !== expected.raw || ascii !== expected.ascii)
          expect({ phase, n, raw, ascii }).toEqual({ phase, n, ...expected })
      }
  })

  test('quotes keys while the caches are closed: escapes in each form, a lone surrogate in members order', () => {
    // Unique keys close both gates; a few thousand objects cross windows open and closed, so the
    // checks below run in both states whatever the gates' state before.
    for (let n = 0; n < 3000; n++) {
      const keys = { [`é${n}`]: 1, [`q"\n${n}`]: 2, [`\u{1f600}${n}`]: 3, [`plain${n}`]: 4 }
      const expected = `{"plain${n}":4,"q\\"\\n${n}":2,"é${n}":1,"\u{1f600}${n}":3}`
      const raw = canonicalize(keys)
      const ascii = canonicalize(keys, { ascii: true })
      if (raw !== expected || ascii !== toAscii(expected))
        expect({ n, raw, ascii }).toEqual({ n, raw: expected, ascii: toAscii(expected) })
      const form = { ascii: n % 2 === 0 }
      // "a" sorts before the key with the lone surrogate, so its refusal comes first; and the
      // other way round.
      expect(() => canonicalize({ [`b\ud800${n}`]: 1, [`a${n}`]: Number.NaN }, form)).toThrow(
        InvalidNumberError,
      )
      expect(() => canonicalize({ [`a\ud800${n}`]: 1, [`b${n}`]: Number.NaN }, form)).toThrow(
        LoneSurrogateError,
      )
    }
  })
})
