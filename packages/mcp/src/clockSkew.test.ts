import { describe, expect, test } from 'vitest'
import { connect, postFor, sandboxAndWallet, serverOptions } from './test/harness.js'

const minute = 60_000
const day = 86_400_000

// The tools run on jobs-client, which reads deadlines on the server's clock (issue 22): two
// representative offsets, one each way, keep this fast.
describe.concurrent('the tools against a server whose clock is off', () => {
  test.for([
    ['40 minutes behind', -40 * minute],
    ['2 days ahead', 2 * day],
  ] as const)(
    '%s: reserve, complete, verified; the deadline is the server 30 minutes',
    async ([, clockOffsetMs], { onTestFinished }) => {
      const { sandbox, key, signer } = await sandboxAndWallet({ clockOffsetMs })
      onTestFinished(() => sandbox.close())
      const session = await connect(serverOptions(sandbox, signer, key))
      onTestFinished(() => session.close())

      const reserved = await session.call('reserve_job', { job_id: 'job_share_linkedin' })
      expect(reserved.result.isError).toBeFalsy()
      expect(reserved.data.seconds_left).toBeGreaterThan(1_700)
      expect(reserved.data.seconds_left).toBeLessThanOrEqual(30 * 60 - 60)
      const completed = await session.call('complete_job', {
        job_id: 'job_share_linkedin',
        proof_text: 'Published one LinkedIn post with the tracked link.',
        social_post: postFor(reserved.data),
      })
      expect(completed.result.isError, completed.text).toBeFalsy()
      const status = await session.call('job_status', {
        job_id: 'job_share_linkedin',
        wait_seconds: 10,
      })
      expect(status.data).toMatchObject({
        final: true,
        submission: { verification_status: 'verified' },
      })
      expect(sandbox.stats().byRoute.session).toBe(1)
    },
  )
})
