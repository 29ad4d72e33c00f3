import type { JobStatusResponse } from '@agentpmt-kit/message-builder'
import { describe, expect, test } from 'vitest'
import { drive, json, routeOf, setup, shareProof } from './test/fakes.js'
import { NoSubmissionError } from './waitForVerification.js'

async function submitted(verification: readonly string[]) {
  const context = setup({}, { verification })
  const reservation = await context.client.reserve('job_share_linkedin')
  await context.client.complete(reservation, shareProof())
  return context
}

describe('waitForVerification', () => {
  test('polls until verified, with a growing interval, reporting each change', async () => {
    const { client, clock, calls } = await submitted([
      'queued',
      'queued',
      'running',
      'running',
      'verified',
    ])
    const updates: string[] = []
    const start = clock.now()
    const pending = client.waitForVerification('job_share_linkedin', {
      onUpdate: (status) => updates.push(status.submission!.verification.status),
    })
    const result = await drive(clock, pending, 100)
    expect(result.submission.verification.status).toBe('verified')
    expect(updates).toEqual(['queued', 'running', 'verified'])
    expect(calls.filter((call) => routeOf(call.path) === 'status')).toHaveLength(5)
    // Waits of 0.5 s, 0.75 s, 1.125 s, 1.6875 s between the five polls.
    expect(clock.now() - start).toBeGreaterThanOrEqual(4_062)
    expect(clock.now() - start).toBeLessThan(4_062 + 100)
  })

  test('transient_error keeps waiting; rejected and needs_human end it', async () => {
    for (const final of ['rejected', 'needs_human']) {
      const { client, clock } = await submitted(['queued', 'transient_error', 'running', final])
      const result = await drive(clock, client.waitForVerification('job_share_linkedin'))
      expect(result.submission.verification.status).toBe(final)
    }
  })

  test('the interval stops growing at maxIntervalMs', async () => {
    const steps = [...Array.from({ length: 8 }, () => 'running'), 'verified']
    const { client, clock } = await submitted(steps)
    const start = clock.now()
    await drive(
      clock,
      client.waitForVerification('job_share_linkedin', { intervalMs: 1_000, maxIntervalMs: 2_000 }),
      100,
    )
    // 1 s, 1.5 s, then 2 s six times.
    expect(clock.now() - start).toBeGreaterThanOrEqual(14_500)
    expect(clock.now() - start).toBeLessThan(14_600)
  })

  test('by default the first poll comes after 500 ms, then 1.5 times longer each time', async () => {
    const { client, clock } = await submitted(['running', 'running', 'verified'])
    const start = clock.now()
    await drive(clock, client.waitForVerification('job_share_linkedin'), 50)
    // 500 ms, then 750 ms.
    expect(clock.now() - start).toBeGreaterThanOrEqual(1_250)
    expect(clock.now() - start).toBeLessThan(1_300)
  })

  test('the signal stops the wait with its reason', async () => {
    const { client, clock } = await submitted(['running'])
    const controller = new AbortController()
    const pending = client.waitForVerification('job_share_linkedin', { signal: controller.signal })
    pending.catch(() => {})
    await clock.advance(10_000)
    const reason = new Error('enough')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
  })

  test('no submission: NoSubmissionError', async () => {
    const { client } = setup({
      status: () =>
        json(200, {
          job_id: 'job_share_linkedin',
          status: 'open',
          reservation: null,
          submission: null,
        } satisfies JobStatusResponse),
    })
    await expect(client.waitForVerification('job_share_linkedin')).rejects.toBeInstanceOf(
      NoSubmissionError,
    )
  })
})
