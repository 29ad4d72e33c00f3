import { describe, expect, test } from 'vitest'
import { drive, routeOf, setup, shareProof } from './test/fakes.js'

const completes = (calls: { path: string }[]) =>
  calls.filter((call) => routeOf(call.path) === 'complete')

describe('run', () => {
  test('verified: reserve, work, complete, wait', async () => {
    const { client, clock, calls } = setup()
    const result = await drive(
      clock,
      client.run('job_share_linkedin', (reservation, { signal }) => {
        expect(signal.aborted).toBe(false)
        return shareProof({ target_url_used: reservation.trackedUrl })
      }),
    )
    expect(result.outcome).toBe('verified')
    expect(result.completion?.submission?.reservation_id).toBe('res_1')
    expect(result.status?.submission.verification.status).toBe('verified')
    expect(completes(calls)).toHaveLength(1)
  })

  test('rejected and needs_human are outcomes too', async () => {
    for (const final of ['rejected', 'needs_human'] as const) {
      const { client, clock } = setup({}, { verification: ['queued', final] })
      const result = await drive(
        clock,
        client.run('job_share_linkedin', () => shareProof()),
      )
      expect(result.outcome).toBe(final)
    }
  })

  test('expired: a worker still busy at the deadline is aborted and nothing is submitted', async () => {
    const { client, clock, calls } = setup()
    let aborted: unknown
    const pending = client.run('job_share_linkedin', (_reservation, { signal }) => {
      signal.addEventListener('abort', () => {
        aborted = signal.reason
      })
      // Finishes well after the deadline, as a stuck worker would.
      return new Promise((resolve) => clock.setTimeout(() => resolve(shareProof()), 3_600_000))
    })
    await clock.advance(30 * 60_000 - 60_000)
    const result = await pending
    expect(result.outcome).toBe('expired')
    expect(aborted).toMatchObject({ name: 'JobsClient.ReservationDeadlineError' })
    await clock.advance(3_600_000)
    expect(completes(calls)).toHaveLength(0)
  })

  test('expired: a worker that returns its proof after the deadline submits nothing', async () => {
    const { client, clock, calls } = setup()
    const pending = client.run(
      'job_share_linkedin',
      () => new Promise((resolve) => clock.setTimeout(() => resolve(shareProof()), 29 * 60_000)),
    )
    await clock.advance(29 * 60_000)
    expect((await pending).outcome).toBe('expired')
    expect(completes(calls)).toHaveLength(0)
  })

  test('abandoned: the worker returned nothing, threw, or its proof failed the checks', async () => {
    const boom = new Error('could not post')
    for (const worker of [
      () => undefined,
      () => null,
      () => {
        throw boom
      },
      async () => Promise.reject(boom),
      () => shareProof({ post_url: 'http://insecure' }),
    ]) {
      const { client, calls } = setup()
      const result = await client.run('job_share_linkedin', worker)
      expect(result.outcome).toBe('abandoned')
      expect(completes(calls)).toHaveLength(0)
    }
    const { client } = setup()
    expect(
      (
        await client.run('job_share_linkedin', () => {
          throw boom
        })
      ).error,
    ).toBe(boom)
  })

  test('the run’s own signal aborts the worker and rejects', async () => {
    const { client } = setup()
    const controller = new AbortController()
    const pending = client.run(
      'job_share_linkedin',
      (_reservation, { signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      { signal: controller.signal },
    )
    setTimeout(() => controller.abort(new Error('shutdown')), 5)
    await expect(pending).rejects.toThrow('shutdown')
  })
})
