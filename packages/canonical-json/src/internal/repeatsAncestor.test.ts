import { describe, expect, test } from 'vitest'
import { CircularReferenceError, canonicalize } from '../canonicalize.js'
import { repeatsAncestor } from './repeatsAncestor.js'

/** The first depth at which a path of containers, repeating with `period` from `start`, is caught. */
function caughtAt(start: number, period: number, limit: number): number | undefined {
  const loop = Array.from({ length: period }, () => ({}))
  const ancestors: object[] = []
  for (let depth = 0; depth < limit; depth++) {
    const container = depth < start ? {} : loop[(depth - start) % period]!
    if (repeatsAncestor(container, depth, ancestors)) return depth
    ancestors[depth] = container
  }
  return undefined
}

function thrownBy(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

/** Records whose `n` is a getter counting its reads: how much of a value a writer went through. */
function countedRecords(count: number, reads: { count: number }): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => ({
    get n() {
      reads.count++
      return index
    },
  }))
}

describe('repeatsAncestor', () => {
  test('catches every cycle within three times its start or period, whichever is larger', () => {
    for (let start = 0; start <= 70; start++)
      for (let period = 1; period <= 70; period++) {
        const depth = caughtAt(start, period, 1000)
        expect(depth, `start ${start}, period ${period}`).toBeDefined()
        expect(depth!).toBeGreaterThanOrEqual(start + period)
        expect(depth!).toBeLessThanOrEqual(3 * Math.max(start, period, 1))
      }
  })

  test('never fires on a path without a repeat', () => {
    expect(caughtAt(100_000, 1, 100_000)).toBeUndefined()
  })
})

describe('a cycle through a large array is refused after a few of its levels', () => {
  test('the last record refers back to the array', () => {
    const reads = { count: 0 }
    const records = countedRecords(5000, reads)
    records[4999]!.self = records
    const error = thrownBy(() => canonicalize(records))
    expect(error).toBeInstanceOf(CircularReferenceError)
    expect((error as CircularReferenceError).pathSegments).toEqual([4999, 'self'])
    // Copying it level after level up to the recursion limit read each record a thousand times.
    expect(reads.count).toBeLessThan(10 * 5000)
  })

  test('a cycle that starts 2,000 levels deep', () => {
    const reads = { count: 0 }
    const loop: unknown[] = countedRecords(100, reads)
    loop.push({ back: loop })
    let value: unknown = loop
    const segments: (string | number)[] = []
    for (let level = 0; level < 2000; level++) {
      value = level % 2 ? [value] : { inner: value }
      segments.unshift(level % 2 ? 0 : 'inner')
    }
    const error = thrownBy(() => canonicalize(value, { ascii: true }))
    expect(error).toBeInstanceOf(CircularReferenceError)
    expect((error as CircularReferenceError).pathSegments).toEqual([...segments, 100, 'back'])
    // Caught within the first power of two past its start (2,048) and one period: about 25 of
    // the loop's levels, each reading its 100 records once.
    expect(reads.count).toBeLessThan(60 * 100)
  })
})
