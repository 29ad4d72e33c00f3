import { describe, expect, test } from 'vitest'
import { isIsoDateTime, socialPostIssues } from './socialProof.js'

// Cases socialProof.test.ts leaves open (found by mutation testing): one issue per fault, even
// when a field is present but empty, and the shapes of a post that is not a plain object.

const expected = { platform: 'x', trackedUrl: 'https://www.agentpmt.com/t?utm_content=abc' }
const post = {
  platform: 'x',
  post_url: 'https://x.com/agent/status/1',
  target_url_used: expected.trackedUrl,
  message_text: 'A paid share.',
  posted_at: '2026-05-17T14:30:00+02:00',
}

describe('socialPostIssues', () => {
  test.each([[null], [[post]], [7]])('a post %j is not an object', (value) => {
    expect(socialPostIssues([value], expected)).toEqual([
      { path: 'social_posts[0]', reason: 'must be an object' },
    ])
  })

  test.each(['platform', 'post_url', 'target_url_used', 'posted_at'])(
    'an empty %s is one issue: it is missing, not also malformed',
    (field) => {
      expect(socialPostIssues([{ ...post, [field]: '' }], expected)).toEqual([
        { path: `social_posts[0].${field}`, reason: 'must be a non-empty string' },
      ])
    },
  )

  test('a platform that is not a string is one issue, not also the wrong platform', () => {
    expect(socialPostIssues([{ ...post, platform: 42 }], expected)).toEqual([
      { path: 'social_posts[0].platform', reason: 'must be a non-empty string' },
    ])
  })

  test('without a job platform any platform is taken', () => {
    expect(
      socialPostIssues([{ ...post, platform: 'bluesky' }], { ...expected, platform: undefined }),
    ).toEqual([])
  })

  test('a missing tracked URL is one issue even when the post names none', () => {
    const { target_url_used: _, ...withoutUrl } = post
    expect(socialPostIssues([withoutUrl], { ...expected, trackedUrl: undefined })).toEqual([
      { path: 'social_posts[0].target_url_used', reason: 'must be a non-empty string' },
      { path: 'social_posts[0].target_url_used', reason: 'no tracked URL was issued for this job' },
    ])
  })
})

describe('isIsoDateTime', () => {
  test.each([
    '2026-05-17T14:30:00.123456789Z',
    '2026-12-31T23:59:59-12:00',
    '2026-01-31T00:00:00Z',
  ])('accepts %s', (text) => {
    expect(isIsoDateTime(text)).toBe(true)
  })

  test.each([
    '2026-05-17T14:30:00.1234567890Z',
    '2026-05-17T14:30:00+0200',
    '2026-05-17T14:30:00.Z',
    'x2026-05-17T14:30:00Z',
    // Date.parse reads an expanded year; the proof's date-time has four digits.
    '+002026-05-17T14:30:00Z',
    '2026-05-17T14:30:00Zx',
    '2026-04-31T00:00:00Z',
    '2026-05-17T14:3:00Z',
  ])('refuses %j', (text) => {
    expect(isIsoDateTime(text)).toBe(false)
  })
})
