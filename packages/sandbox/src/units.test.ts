import { describe, expect, test } from 'vitest'
import { createClock, createRandom, socialProofProblems, verificationAt } from './index.js'

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

describe('socialProofProblems', () => {
  const expected = { platform: 'x', trackedUrl: 'https://www.agentpmt.com/?utm_source=x' }
  const post = {
    platform: 'x',
    post_url: 'https://x.com/a/status/1',
    target_url_used: expected.trackedUrl,
    message_text: 'hi',
    posted_at: '2026-05-17T14:30:00Z',
  }
  test('accepts a good post, with offsets and fractions in posted_at', () => {
    expect(socialProofProblems([post], expected)).toEqual([])
    expect(
      socialProofProblems([{ ...post, posted_at: '2026-05-17T14:30:00.123+02:00' }], expected),
    ).toEqual([])
  })
  test.each([
    ['posted_at', '2026-05-17'],
    ['posted_at', '2026-13-45T99:99:99Z'],
    ['post_url', 'https://'],
    ['post_url', 'ftp://x.com/1'],
    ['target_url_used', `${expected.trackedUrl}&extra=1`],
    ['platform', 'linkedin'],
    ['message_text', ''],
  ])('refuses %s = %j', (field, value) => {
    expect(socialProofProblems([{ ...post, [field]: value }], expected)).toHaveLength(1)
  })
})
