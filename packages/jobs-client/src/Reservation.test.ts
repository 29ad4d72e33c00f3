import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { ReservationDeadlineError } from './Reservation.js'
import { json, reserveBody, setup, trackedUrl, workflowToken } from './test/fakes.js'

describe('reserve', () => {
  test('keeps the wire fields and adds trackedUrl and deadline', async () => {
    const { client, clock } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    expect(reservation).toMatchObject({
      reservation_id: 'res_1',
      job_id: 'job_share_linkedin',
      expires_at: '2026-05-17T14:30:00.000Z',
      instructions: 'Publish one post.',
      trackedUrl,
      // The server's Date header has whole seconds: its clock may be up to 1 s ahead.
      deadline: clock.now() + 30 * 60_000 - 1_000,
    })
    expect(reservation.job.social_share?.tracking_links).toEqual([trackedUrl])
    expect(reservation.workflowToken).toBeUndefined()
  })

  test('the workflow token is usable but not enumerable: not in JSON, inspect or keys', async () => {
    const { client } = setup()
    const reservation = await client.reserve('job_workflow_1')
    expect(reservation.workflowToken).toBe(workflowToken)
    expect(reservation.trackedUrl).toBeUndefined()
    expect(JSON.stringify(reservation)).not.toContain(workflowToken)
    expect(inspect(reservation, { depth: 10 })).not.toContain(workflowToken)
    expect(Object.keys(reservation)).not.toContain('workflowToken')
    expect(reservation.workflow_access).toEqual({ expires_at: reservation.expires_at })
    expect({ ...reservation }).not.toHaveProperty('workflowToken')
  })

  test('an answer for another job, or a share job without tracking links: InvalidResponseError', async () => {
    const answer = (change: (body: ReturnType<typeof reserveBody>) => unknown) =>
      setup({ reserve: () => json(200, change(reserveBody('share', Date.now()))) }).client
    await expect(
      answer((body) => ({ ...body, job_id: 'job_other' })).reserve('job_share_linkedin'),
    ).rejects.toMatchObject({ name: 'JobsClient.InvalidResponseError' })
    await expect(
      answer((body) => ({ ...body, job: { ...body.job, social_share: {} } })).reserve(
        'job_share_linkedin',
      ),
    ).rejects.toMatchObject({ name: 'JobsClient.InvalidResponseError' })
  })

  test('the signal aborts safetyMarginMs before expires_at', async () => {
    const { client, clock } = setup({}, { safetyMarginMs: 120_000 })
    const reservation = await client.reserve('job_share_linkedin')
    // Less the second a Date header cannot tell.
    await clock.advance(30 * 60_000 - 121_001)
    expect(reservation.signal.aborted).toBe(false)
    await clock.advance(1)
    expect(reservation.signal.aborted).toBe(true)
    expect(reservation.signal.reason).toBeInstanceOf(ReservationDeadlineError)
    expect(reservation.signal.reason.name).toBe('JobsClient.ReservationDeadlineError')
  })

  test('a reservation already inside the margin is aborted at once', async () => {
    const { client } = setup({}, { reservationTtlMs: 30_000 })
    const reservation = await client.reserve('job_share_linkedin')
    expect(reservation.signal.aborted).toBe(true)
    // The reason names the option that made it so.
    expect(reservation.signal.reason.message).toContain(
      "had 29 s left when it was read, less than the client's safetyMarginMs (60000 ms)",
    )
  })

  test('a completed reservation stops its timer', async () => {
    const { client, clock } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    expect(clock.pending()).toBe(1)
    await client.complete(reservation, {
      proof_text: 'x',
      social_posts: [
        {
          platform: 'linkedin',
          post_url: 'https://www.linkedin.com/feed/update/1',
          target_url_used: trackedUrl,
          message_text: 'm',
          posted_at: '2026-05-17T14:10:00Z',
        },
      ],
    })
    expect(clock.pending()).toBe(0)
  })
})
