import { describe, expect, test } from 'vitest'
import { CompletionAlreadySentError } from './completion.js'
import { ProofCheckError } from './proofChecks.js'
import { ReservationDeadlineError } from './Reservation.js'
import { apiError, drive, routeOf, setup, shareProof, trackedUrl } from './test/fakes.js'

async function issuesOf(proof: unknown, job = 'job_share_linkedin') {
  const { client, calls } = setup()
  const reservation = await client.reserve(job)
  const error = await client
    // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed proofs
    .complete(reservation, proof as any)
    .catch((caught: unknown) => caught)
  expect(calls.filter((call) => routeOf(call.path) === 'complete')).toHaveLength(0)
  expect(error).toBeInstanceOf(ProofCheckError)
  return (error as ProofCheckError).issues
}

describe('local proof checks, before anything is sent', () => {
  test('a good share proof passes and is sent with reservation_id', async () => {
    const { client, calls } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    await client.complete(reservation, shareProof())
    const complete = calls.find((call) => routeOf(call.path) === 'complete')!
    expect(complete.body.reservation_id).toBe('res_1')
  })

  test('exactly one post', async () => {
    const two = shareProof()
    expect(await issuesOf({ ...two, social_posts: [] })).toEqual([
      { path: 'social_posts', reason: 'must hold exactly one post, got 0' },
    ])
    expect(
      await issuesOf({ ...two, social_posts: [two.social_posts![0], two.social_posts![0]] }),
    ).toEqual([{ path: 'social_posts', reason: 'must hold exactly one post, got 2' }])
    expect(await issuesOf({ proof_text: 'x' })).toEqual([
      { path: 'social_posts', reason: 'must hold exactly one post, got none' },
    ])
  })

  test('target_url_used must equal the tracked URL exactly', async () => {
    for (const url of [
      `${trackedUrl}&x=1`,
      trackedUrl.replace('utm_content=trk_1', 'utm_content=trk_2'),
      `${trackedUrl}/`,
      trackedUrl.toUpperCase(),
    ])
      expect(await issuesOf(shareProof({ target_url_used: url }))).toEqual([
        {
          path: 'social_posts[0].target_url_used',
          reason: 'must equal the tracked URL of the reservation exactly',
        },
      ])
  })

  test("platform must be the job's", async () => {
    expect(await issuesOf(shareProof({ platform: 'x' }))).toEqual([
      { path: 'social_posts[0].platform', reason: 'must be the job\'s platform "linkedin"' },
    ])
  })

  test('posted_at must be ISO-8601 with a time zone, and a real date', async () => {
    for (const postedAt of [
      '2026-05-17',
      '17/05/2026 14:30',
      '2026-05-17T14:30:00',
      '2026-02-30T10:00:00Z',
      'yesterday',
      '2026-05-17 14:30:00Z',
    ])
      expect((await issuesOf(shareProof({ posted_at: postedAt }))).map((i) => i.path)).toEqual([
        'social_posts[0].posted_at',
      ])
  })

  test('accepted posted_at forms', async () => {
    for (const postedAt of [
      '2026-05-17T14:30:00Z',
      '2026-05-17T14:30:00.123Z',
      '2026-05-17T16:30:00+02:00',
    ]) {
      const { client } = setup()
      const reservation = await client.reserve('job_share_linkedin')
      await expect(
        client.complete(reservation, shareProof({ posted_at: postedAt })),
      ).resolves.toBeDefined()
    }
  })

  test('post_url must be https', async () => {
    for (const postUrl of [
      'http://www.linkedin.com/feed/update/1',
      'linkedin.com/feed',
      'javascript:alert(1)',
      '',
    ])
      expect((await issuesOf(shareProof({ post_url: postUrl }))).map((i) => i.path)).toEqual([
        'social_posts[0].post_url',
      ])
  })

  test('every problem is listed at once', async () => {
    const issues = await issuesOf({
      proof_text: '',
      social_posts: [
        {
          platform: 'x',
          post_url: 'http://a',
          target_url_used: 'https://b',
          message_text: 'm',
          posted_at: 'now',
        },
      ],
    })
    expect(issues.map((issue) => issue.path)).toEqual([
      'proof_text',
      'social_posts[0].platform',
      'social_posts[0].target_url_used',
      'social_posts[0].post_url',
      'social_posts[0].posted_at',
    ])
  })

  test('a workflow job takes a workflow_id, not posts', async () => {
    expect(await issuesOf(shareProof(), 'job_workflow_1')).toEqual([
      { path: 'social_posts', reason: 'a workflow job takes workflow_id only' },
      { path: 'workflow_id', reason: 'must be the id of the published workflow' },
    ])
    expect(await issuesOf({ ...shareProof(), workflow_id: 'wf_1' })).toEqual([
      { path: 'workflow_id', reason: 'a social-share job takes social_posts only' },
    ])
  })

  test('only the five documented post fields are sent', async () => {
    const { client, calls } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    await client.complete(reservation, shareProof({ extra: 'dropped' }))
    const complete = calls.find((call) => routeOf(call.path) === 'complete')!
    expect(Object.keys((complete.body.social_posts as object[])[0]!).sort()).toEqual([
      'message_text',
      'platform',
      'post_url',
      'posted_at',
      'target_url_used',
    ])
  })
})

describe('complete refuses', () => {
  test('after the safety deadline: nothing is sent', async () => {
    const { client, calls, clock } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    await clock.advance(30 * 60_000 - 60_000)
    await expect(client.complete(reservation, shareProof())).rejects.toBeInstanceOf(
      ReservationDeadlineError,
    )
    expect(calls.filter((call) => routeOf(call.path) === 'complete')).toHaveLength(0)
  })

  test('a retry that would be signed after the safety deadline: not sent', async () => {
    let limited = 1
    const { client, calls, clock } = setup(
      {
        complete: () => {
          limited -= 1
          return apiError(429, 'EXTERNAL_RATE_LIMITED', {}, { 'retry-after': '100' })
        },
      },
      { reservationTtlMs: 5 * 60_000 },
    )
    const reservation = await client.reserve('job_share_linkedin')
    await clock.advance(3 * 60_000) // 60 s before the safety margin starts
    await expect(drive(clock, client.complete(reservation, shareProof()))).rejects.toBeInstanceOf(
      ReservationDeadlineError,
    )
    expect(limited).toBe(0)
    expect(calls.filter((call) => routeOf(call.path) === 'complete')).toHaveLength(1)
  })

  test('another object for the same reservation (reserved again, or restored): not sent again', async () => {
    const { client, calls } = setup()
    const first = await client.reserve('job_share_linkedin')
    const again = await client.reserve('job_share_linkedin')
    expect(again.reservation_id).toBe(first.reservation_id)
    await client.complete(first, shareProof())
    await expect(client.complete(again, shareProof())).rejects.toBeInstanceOf(
      CompletionAlreadySentError,
    )
    const restored = client.restoreReservation(JSON.parse(JSON.stringify(first)))
    await expect(client.complete(restored, shareProof())).rejects.toBeInstanceOf(
      CompletionAlreadySentError,
    )
    expect(calls.filter((call) => routeOf(call.path) === 'complete')).toHaveLength(1)
  })

  test('a second completion of one reservation, even after a failure', async () => {
    const { client, calls } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    await client.complete(reservation, shareProof())
    await expect(client.complete(reservation, shareProof())).rejects.toBeInstanceOf(
      CompletionAlreadySentError,
    )
    expect(calls.filter((call) => routeOf(call.path) === 'complete')).toHaveLength(1)
  })

  test('concurrent completions of one reservation: one is sent', async () => {
    const { client, calls } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    const results = await Promise.allSettled([
      client.complete(reservation, shareProof()),
      client.complete(reservation, shareProof({ message_text: 'other' })),
    ])
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected'])
    expect(calls.filter((call) => routeOf(call.path) === 'complete')).toHaveLength(1)
  })

  test('a proof that failed the local checks can be fixed and sent', async () => {
    const { client, calls } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    await expect(
      client.complete(reservation, shareProof({ post_url: 'http://x' })),
    ).rejects.toBeInstanceOf(ProofCheckError)
    await client.complete(reservation, shareProof())
    expect(calls.filter((call) => routeOf(call.path) === 'complete')).toHaveLength(1)
  })
})
