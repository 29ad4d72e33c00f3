import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { socialProof, testWallet } from '../test/client.js'
import { type RunningSandbox, startSandbox } from './index.js'

const start = Date.parse('2026-05-17T12:00:00.000Z')
let sandbox: RunningSandbox
beforeEach(async () => {
  sandbox = await startSandbox({
    now: () => start,
    sessionTtlMs: 60_000,
    reservationTtlMs: 120_000,
  })
})
afterEach(() => sandbox.close())

describe('expiry through the clock', () => {
  test('a session lives exactly sessionTtlMs', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    sandbox.advance(59_999)
    expect((await wallet.list()).status).toBe(200)
    sandbox.advance(1)
    expect((await wallet.list()).body.error_code).toBe('EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED')
  })

  test('an expired reservation frees the job for another wallet, and only then', async () => {
    const [first, second] = [testWallet(sandbox.url), testWallet(sandbox.url)]
    await Promise.all([first.openSession(), second.openSession()])
    const reserved = await first.reserve('job_share_x')
    expect(reserved.body.expires_at).toBe('2026-05-17T12:02:00.000Z')
    sandbox.advance(50_000)
    expect((await second.reserve('job_share_x')).body.error_code).toBe(
      'EXTERNAL_JOB_ALREADY_RESERVED',
    )
    sandbox.advance(70_000)
    await Promise.all([first.openSession(), second.openSession()])
    expect((await second.list()).body.jobs.map((job: { job_id: string }) => job.job_id)).toContain(
      'job_share_x',
    )
    const taken = await second.reserve('job_share_x')
    expect(taken.status).toBe(200)
    expect(taken.body.reservation_id).not.toBe(reserved.body.reservation_id)
    expect(taken.body.job.social_share.tracking_links[0]).not.toBe(
      reserved.body.job.social_share.tracking_links[0],
    )
    // The first wallet's late proof is refused and changes nothing.
    expect((await first.complete('job_share_x', socialProof(reserved.body))).body.error_code).toBe(
      'EXTERNAL_RESERVATION_EXPIRED',
    )
    const status = (await first.status('job_share_x')).body
    expect(status.status).toBe('reserved')
    expect(status.reservation.state).toBe('expired')
    expect((await second.complete('job_share_x', socialProof(taken.body))).status).toBe(200)
  })

  test('a workflow token dies with its reservation', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reserved = (await wallet.reserve('job_workflow_invoice_digest')).body
    sandbox.advance(120_000)
    const reply = await sandbox.fetch(
      '/api/external/jobs/job_workflow_invoice_digest/workflow/create',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'X-Job-Workflow-Token': `Bearer ${reserved.workflow_access.access_token}`,
        },
        body: JSON.stringify({ name: 'w', description: '', nodes: [], edges: [] }),
      },
    )
    expect(reply.status).toBe(403)
    expect(((await reply.json()) as { error_code: string }).error_code).toBe('EXTERNAL_FORBIDDEN')
  })
})
