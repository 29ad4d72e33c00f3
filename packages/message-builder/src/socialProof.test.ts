import { describe, expect, test } from 'vitest'
import { isIsoDateTime, socialPostIssues } from './socialProof.js'

const expected = {
  platform: 'linkedin',
  trackedUrl:
    'https://www.agentpmt.com/x?utm_source=linkedin&utm_medium=agent_social&utm_campaign=agent_job_1&utm_content=code',
}
const post = {
  platform: 'linkedin',
  post_url: 'https://www.linkedin.com/feed/update/urn:li:activity:123',
  target_url_used: expected.trackedUrl,
  message_text: 'Paid AgentPMT share: a useful workflow.',
  posted_at: '2026-05-17T14:30:00Z',
}

describe('socialPostIssues', () => {
  test('accepts the seed example', () => {
    expect(socialPostIssues([post], expected)).toEqual([])
  })

  test.each([
    [[], 'social_posts', 'must hold exactly one post, got 0'],
    [[post, post], 'social_posts', 'must hold exactly one post, got 2'],
    [undefined, 'social_posts', 'must hold exactly one post, got none'],
    [['text'], 'social_posts[0]', 'must be an object'],
  ])('refuses posts %j', (posts, path, reason) => {
    expect(socialPostIssues(posts, expected)).toEqual([{ path, reason }])
  })

  test.each([
    ['platform', 'LinkedIn', 'must be the job\'s platform "linkedin"'],
    ['platform', 'x', 'must be the job\'s platform "linkedin"'],
    [
      'target_url_used',
      `${expected.trackedUrl}&extra=1`,
      'must equal the tracked URL of the reservation exactly',
    ],
    [
      'target_url_used',
      expected.trackedUrl.replace('https', 'http'),
      'must equal the tracked URL of the reservation exactly',
    ],
    ['post_url', 'http://www.linkedin.com/feed/update/1', 'must be an https URL'],
    ['post_url', 'https://', 'must be an https URL'],
    ['post_url', 'not a url', 'must be an https URL'],
    [
      'posted_at',
      '2026-05-17',
      'must be an ISO-8601 date-time with a time zone, e.g. 2026-05-17T14:30:00Z',
    ],
    [
      'posted_at',
      '2026-05-17T14:30:00',
      'must be an ISO-8601 date-time with a time zone, e.g. 2026-05-17T14:30:00Z',
    ],
    ['message_text', '', 'must be a non-empty string'],
    ['message_text', 42, 'must be a non-empty string'],
  ])('refuses %s = %j', (field, value, reason) => {
    expect(socialPostIssues([{ ...post, [field]: value }], expected)).toEqual([
      { path: `social_posts[0].${field}`, reason },
    ])
  })

  test('lists every issue at once', () => {
    const issues = socialPostIssues([{ platform: 'x', post_url: 'ftp://a' }], expected)
    expect(issues.map((issue) => issue.path)).toEqual([
      'social_posts[0].target_url_used',
      'social_posts[0].message_text',
      'social_posts[0].posted_at',
      'social_posts[0].platform',
      'social_posts[0].post_url',
    ])
  })

  test('without a tracked URL nothing can match', () => {
    expect(socialPostIssues([post], { platform: 'linkedin', trackedUrl: undefined })).toEqual([
      { path: 'social_posts[0].target_url_used', reason: 'no tracked URL was issued for this job' },
    ])
  })
})

describe('isIsoDateTime', () => {
  test.each([
    '2026-05-17T14:30:00Z',
    '2026-05-17T14:30Z',
    '2026-05-17T14:30:00.123+02:00',
    '2024-02-29T00:00:00-05:00',
  ])('accepts %s', (text) => {
    expect(isIsoDateTime(text)).toBe(true)
  })

  test.each([
    '2026-05-17',
    '2026-05-17 14:30:00Z',
    '2026-02-30T10:00:00Z',
    '2025-02-29T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-05-17T25:00:00Z',
    '17/05/2026',
    '',
  ])('refuses %j', (text) => {
    expect(isIsoDateTime(text)).toBe(false)
  })
})
