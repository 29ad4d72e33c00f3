import { expect, test } from 'vitest'
import { createRetryBudget } from './index.js'

const fakeClock = (start = 1_000_000) => {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

test('takes tokens until empty, then refills with the clock', () => {
  const clock = fakeClock()
  const budget = createRetryBudget({ tokens: 3, refillPerSecond: 0.5, now: clock.now })
  expect([budget.tryTake(), budget.tryTake(), budget.tryTake(), budget.tryTake()]).toEqual([
    true,
    true,
    true,
    false,
  ])
  clock.advance(1000)
  expect(budget.available()).toBeCloseTo(0.5)
  expect(budget.tryTake()).toBe(false)
  clock.advance(1000)
  expect(budget.tryTake()).toBe(true)
  expect(budget.available()).toBeCloseTo(0)
})

test('never refills above its capacity', () => {
  const clock = fakeClock()
  const budget = createRetryBudget({ tokens: 2, refillPerSecond: 10, now: clock.now })
  clock.advance(60_000)
  expect(budget.available()).toBe(2)
})

test('a clock that goes backwards adds nothing', () => {
  const clock = fakeClock()
  const budget = createRetryBudget({ tokens: 1, refillPerSecond: 1, now: clock.now })
  budget.tryTake()
  clock.advance(-10_000)
  expect(budget.available()).toBe(0)
  clock.advance(10_000)
  expect(budget.available()).toBe(0)
  clock.advance(500)
  expect(budget.available()).toBeCloseTo(0.5)
})

test('one budget shared by many policies caps retries across all of them', () => {
  const clock = fakeClock()
  const budget = createRetryBudget({ tokens: 5, refillPerSecond: 0, now: clock.now })
  let granted = 0
  for (let agent = 0; agent < 100; agent++) if (budget.tryTake()) granted++
  expect(granted).toBe(5)
})

test('refuses a capacity or rate that is not a finite number >= 0', () => {
  expect(() => createRetryBudget({ tokens: -1 })).toThrow(RangeError)
  expect(() => createRetryBudget({ refillPerSecond: Number.NaN })).toThrow(RangeError)
  expect(() => createRetryBudget({ tokens: Number.POSITIVE_INFINITY })).toThrow(RangeError)
})
