import { apiPaths } from '@agentpmt-kit/message-builder'
import { afterEach, describe, expect, test } from 'vitest'
import { socialProof, testWallet } from '../test/client.js'
import { createFaults, createRandom, type RunningSandbox, startSandbox } from './index.js'

let sandbox: RunningSandbox | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

describe('faults', () => {
  test('a dropped connection: the client sees a network error, but the reservation was made', async () => {
    sandbox = await startSandbox({ faults: [{ route: 'reserve', drop: true, times: 1 }] })
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    await expect(wallet.reserve('job_share_linkedin')).rejects.toThrow(TypeError)
    const held = sandbox.state().jobs.find((job) => job.job_id === 'job_share_linkedin')!
    expect(held.status).toBe('reserved')
    expect(sandbox.stats().dropped).toBe(1)
    // The retry (fresh request id) finds the reservation already held by this wallet.
    const retry = await wallet.reserve('job_share_linkedin')
    expect(retry.status).toBe(200)
    expect(retry.body.reservation_id).toBe(held.reservation_id)
  })

  test('a dropped completion: the submission counts, the retry is refused as already submitted', async () => {
    // Verification outlasts the test, however slow the machine: the job stays `submitted`.
    sandbox = await startSandbox({
      faults: [{ route: 'complete', drop: true, times: 1 }],
      verificationDelayMs: 600_000,
    })
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reserved = (await wallet.reserve('job_share_x')).body
    await expect(wallet.complete('job_share_x', socialProof(reserved))).rejects.toThrow(TypeError)
    expect(sandbox.state().submissions).toHaveLength(1)
    expect((await wallet.complete('job_share_x', socialProof(reserved))).body.error_code).toBe(
      'EXTERNAL_JOB_ALREADY_SUBMITTED',
    )
    expect((await wallet.status('job_share_x')).body.status).toBe('submitted')
  })

  test('an error status does not touch the state and carries Retry-After', async () => {
    sandbox = await startSandbox({
      faults: [{ route: 'reserve', status: 503, times: 1, retryAfterSeconds: 2 }],
    })
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const refused = await wallet.reserve('job_share_x')
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('2')
    expect(sandbox.state().reservations).toHaveLength(0)
    expect((await wallet.reserve('job_share_x')).status).toBe(200)
  })

  test('a refusal answers its documented error, spends nothing and changes nothing', async () => {
    sandbox = await startSandbox({
      faults: [{ route: 'reserve', refuse: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY', times: 1 }],
    })
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const refused = await wallet.reserve('job_share_x', { requestId: 'req-1' })
    expect(refused.status).toBe(409)
    expect(refused.body.error_code).toBe('EXTERNAL_SIGNATURE_REQUEST_REPLAY')
    expect(refused.body.details.checklist.length).toBeGreaterThan(0)
    expect(sandbox.state().reservations).toHaveLength(0)
    expect(sandbox.state().spentRequestIds).toBe(0)
    // Only `times` refusals: the same request id is still unspent and goes through.
    expect((await wallet.reserve('job_share_x', { requestId: 'req-1' })).status).toBe(200)
  })

  test('latency delays the answer', async () => {
    sandbox = await startSandbox({ faults: [{ route: 'session', latencyMs: 150 }] })
    const started = performance.now()
    await testWallet(sandbox.url).openSession()
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  })

  test('rules apply only to their routes and can be changed while running', async () => {
    sandbox = await startSandbox({ faults: [{ route: ['list', 'status'], status: 429 }] })
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    expect((await wallet.list()).status).toBe(429)
    expect((await wallet.balance()).status).toBe(200)
    sandbox.faults.clear()
    expect((await wallet.list()).status).toBe(200)
  })

  test('a rate fires about that often, and the same seed repeats the same decisions', () => {
    const decisions = (seed: number) => {
      const faults = createFaults([{ status: 500, rate: 0.25 }], createRandom(seed))
      return Array.from({ length: 2000 }, () => faults.decide('list').status === 500)
    }
    const fired = decisions(9).filter(Boolean).length
    expect(fired).toBeGreaterThan(400)
    expect(fired).toBeLessThan(600)
    expect(decisions(9)).toEqual(decisions(9))
    expect(decisions(9)).not.toEqual(decisions(10))
  })

  test('two sandboxes with the same seed hand out the same ids', async () => {
    const nonces: string[] = []
    for (let run = 0; run < 2; run++) {
      const once = await startSandbox({ seed: 42 })
      const reply = await fetch(`${once.url}${apiPaths.session}`, {
        method: 'POST',
        body: JSON.stringify({ wallet_address: `0x${'1'.repeat(40)}` }),
      })
      nonces.push(((await reply.json()) as { session_nonce: string }).session_nonce)
      await once.close()
    }
    expect(nonces[0]).toBe(nonces[1])
  })
})
