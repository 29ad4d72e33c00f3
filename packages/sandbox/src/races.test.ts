import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { socialProof, testWallet } from '../test/client.js'
import { type RunningSandbox, startSandbox } from './index.js'

let sandbox: RunningSandbox
beforeAll(async () => {
  // Every request of a burst admitted: these tests are about the store's atomicity, not load.
  sandbox = await startSandbox({ maxQueueMs: Number.POSITIVE_INFINITY })
})
afterAll(() => sandbox.close())

describe('races', () => {
  test('20 wallets reserve one job at once: exactly one wins, 19 get a conflict', async () => {
    const wallets = Array.from({ length: 20 }, () => testWallet(sandbox.url))
    await Promise.all(wallets.map((wallet) => wallet.openSession()))
    const replies = await Promise.all(wallets.map((wallet) => wallet.reserve('job_share_facebook')))
    const winners = replies.filter((reply) => reply.status === 200)
    expect(winners).toHaveLength(1)
    expect(
      replies.filter((reply) => reply.body.error_code === 'EXTERNAL_JOB_ALREADY_RESERVED'),
    ).toHaveLength(19)
    const held = sandbox.state().jobs.find((job) => job.job_id === 'job_share_facebook')!
    expect(held.status).toBe('reserved')
    expect(held.reservation_id).toBe(winners[0]!.body.reservation_id)
    expect(
      sandbox.state().reservations.filter((entry) => entry.jobId === 'job_share_facebook'),
    ).toHaveLength(1)
  })

  test('20 completions of one reservation at once: exactly one counts', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reserved = (await wallet.reserve('job_share_bluesky')).body
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        wallet.complete(
          'job_share_bluesky',
          socialProof(reserved, { message_text: `attempt ${index}` }),
        ),
      ),
    )
    const accepted = replies.filter((reply) => reply.status === 200)
    expect(accepted).toHaveLength(1)
    expect(
      replies.filter((reply) => reply.body.error_code === 'EXTERNAL_JOB_ALREADY_SUBMITTED'),
    ).toHaveLength(19)
    const submissions = sandbox
      .state()
      .submissions.filter((entry) => entry.jobId === 'job_share_bluesky')
    expect(submissions).toHaveLength(1)
    expect(submissions[0]!.submissionId).toBe(accepted[0]!.body.submission.submission_id)
  })

  test('the same request id sent 10 times at once is accepted once', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => wallet.list(undefined, { requestId: 'req-race' })),
    )
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1)
    expect(
      replies.filter((reply) => reply.body.error_code === 'EXTERNAL_SIGNATURE_REQUEST_REPLAY'),
    ).toHaveLength(9)
  })
})
