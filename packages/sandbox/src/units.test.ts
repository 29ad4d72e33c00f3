import { describe, expect, test } from 'vitest'
import { createClock, createRandom, verificationAt } from './index.js'

describe('createClock', () => {
  test('adds advanced time to the base clock and refuses going back', () => {
    let base = 1000
    const clock = createClock(() => base)
    clock.advance(500)
    base = 2000
    expect(clock.now()).toBe(2500)
    expect(() => clock.advance(-1)).toThrow(RangeError)
  })
})

describe('createRandom', () => {
  test('repeats for one seed, differs across seeds, stays in [0, 1)', () => {
    const draw = (seed: number) => Array.from({ length: 100 }, createRandom(seed).next)
    expect(draw(3)).toEqual(draw(3))
    expect(draw(3)).not.toEqual(draw(4))
    for (const value of draw(5)) expect(value >= 0 && value < 1).toBe(true)
    expect(createRandom(1).id('res')).toMatch(/^res_[0-9a-f]{24}$/)
  })
})

describe('verificationAt', () => {
  const at = (now: number, outcome: 'verified' | 'transient_error' = 'verified') =>
    verificationAt({ submittedAt: 100, now, delayMs: 10, outcome })
  test('queued, running, final; transient_error then verified', () => {
    expect([at(100), at(109), at(110), at(119), at(120)].map((entry) => entry.status)).toEqual([
      'queued',
      'queued',
      'running',
      'running',
      'verified',
    ])
    expect(at(125)).toEqual({ status: 'verified', changedAt: 120 })
    expect([
      at(120, 'transient_error'),
      at(139, 'transient_error'),
      at(140, 'transient_error'),
    ]).toEqual([
      { status: 'transient_error', changedAt: 120 },
      { status: 'transient_error', changedAt: 120 },
      { status: 'verified', changedAt: 140 },
    ])
  })
})
