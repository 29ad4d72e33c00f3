/**
 * The client against the real sandbox over HTTP on a loopback port the OS picks.
 */
import { JobAlreadyReservedError } from '@agentpmt-kit/error-recovery'
import {
  defaultJobs,
  type RunningSandbox,
  type SandboxJob,
  startSandbox,
} from '@agentpmt-kit/sandbox'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterEach, describe, expect, test } from 'vitest'
import { createJobsClient, type JobsClientOptions } from './createJobsClient.js'
import type { JobsClientEvent } from './Logger.js'
import { shareProof } from './test/shareProof.js'

const sandboxes: RunningSandbox[] = []
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()))
})

async function sandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<RunningSandbox> {
  const running = await startSandbox({ port: 0, verificationDelayMs: 20, ...options })
  sandboxes.push(running)
  return running
}

function client(running: RunningSandbox, options: Partial<JobsClientOptions> = {}) {
  const events: JobsClientEvent[] = []
  const jobs = createJobsClient({
    signer: createViemSigner(privateKeyToAccount(generatePrivateKey())),
    baseUrl: running.url,
    retry: { baseDelayMs: 20 },
    logger: (event) => events.push(event),
    ...options,
  })
  return Object.assign(jobs, { events })
}

const fast = { verification: { intervalMs: 20, maxIntervalMs: 100 } }

describe('against the sandbox', () => {
  test('the full loop of a social-share job: verified', async () => {
    const running = await sandbox()
    const jobs = client(running)
    const result = await jobs.run(
      'job_share_linkedin',
      (reservation) => shareProof(reservation),
      fast,
    )
    expect(result.outcome).toBe('verified')
    expect(result.reservation.trackedUrl).toMatch(/utm_campaign=agent_job_job_share_linkedin/)
    const state = running.state()
    expect(state.submissions).toHaveLength(1)
    expect(state.jobs.find((job) => job.job_id === 'job_share_linkedin')?.status).toBe('completed')
  })

  test('a reservation saved as JSON and restored by another client completes once', async () => {
    const running = await sandbox()
    const signer = createViemSigner(privateKeyToAccount(generatePrivateKey()))
    const first = createJobsClient({ signer, baseUrl: running.url })
    const saved = JSON.parse(JSON.stringify(await first.reserve('job_share_x')))
    const second = createJobsClient({ signer, baseUrl: running.url })
    const restored = second.restoreReservation(saved)
    expect(restored.trackedUrl).toBe(saved.trackedUrl)
    expect(restored.signal.aborted).toBe(false)
    const completion = await second.complete(restored, shareProof(restored))
    expect(completion.submission?.verification.status).toBe('queued')
    expect(completion.adopted).toBe(false)
    expect(running.state().submissions).toHaveLength(1)
    expect(() => second.restoreReservation({ reservation_id: 'res_1' })).toThrowError(
      expect.objectContaining({ name: 'JobsClient.InvalidArgumentError', argument: 'saved' }),
    )
  })

  test('the full loop of a workflow job: create, publish, complete, verified', async () => {
    const running = await sandbox()
    const jobs = client(running)
    const result = await jobs.run(
      'job_workflow_ticket_triage',
      async (reservation, { signal }) => {
        const workflow = await jobs.createWorkflow(
          reservation,
          {
            name: 'Ticket triage',
            description: 'Classifies and routes tickets',
            nodes: [{ id: 'read' }],
            edges: [],
          },
          { signal },
        )
        const published = await jobs.publishWorkflow(reservation, workflow.workflow_id, { signal })
        expect(published.status).toBe('published')
        return { proof_text: 'Published the triage workflow.', workflow_id: published.workflow_id }
      },
      fast,
    )
    expect(result.outcome).toBe('verified')
    expect(running.state().workflows).toHaveLength(1)
  })

  test('rejected and needs_human come back as outcomes', async () => {
    const running = await sandbox()
    const jobs = client(running)
    running.setVerificationOutcome('rejected', 'job_share_x')
    running.setVerificationOutcome('needs_human', 'job_share_reddit')
    expect((await jobs.run('job_share_x', shareProof, fast)).outcome).toBe('rejected')
    expect((await jobs.run('job_share_reddit', shareProof, fast)).outcome).toBe('needs_human')
  })

  test('the session expires in the middle of a loop: one new session, the loop goes on', async () => {
    const running = await sandbox()
    const jobs = client(running)
    const result = await jobs.run(
      'job_share_linkedin',
      (reservation) => {
        // The worker takes 16 minutes of sandbox time: the 15-minute session expires meanwhile.
        running.advance(16 * 60_000)
        return shareProof(reservation)
      },
      fast,
    )
    expect(result.outcome).toBe('verified')
    expect(running.stats().byRoute.session).toBe(2)
    expect(running.stats().byStatus[401]).toBe(1)
    expect(jobs.events).toContainEqual(
      expect.objectContaining({ type: 'recovery', recovery: 'new-session' }),
    )
    expect(running.state().submissions).toHaveLength(1)
  })

  test('a client on the sandbox clock renews its session before it expires: no 401', async () => {
    const running = await sandbox()
    const jobs = client(running, {
      clock: {
        now: () => running.clock.now(),
        setTimeout: (callback, ms) => {
          const timer = setTimeout(callback, ms)
          return () => clearTimeout(timer)
        },
      },
    })
    await jobs.listJobs()
    running.advance(15 * 60_000 - 10_000)
    await jobs.listJobs()
    expect(running.stats().byRoute.session).toBe(2)
    expect(running.stats().byStatus[401]).toBeUndefined()
  })

  test('a worker still busy at the deadline: aborted, nothing submitted, the job is free later', async () => {
    // A window of 2 s: the deadline is read on the server's clock, whose Date header has whole
    // seconds, so the client may stop up to a second (and a round trip) early.
    const running = await sandbox({ reservationTtlMs: 3_000 })
    const jobs = client(running, { safetyMarginMs: 1_000 })
    let abortedAfterMs = 0
    const started = Date.now()
    const result = await jobs.run('job_share_linkedin', (_reservation, { signal }) => {
      signal.addEventListener('abort', () => {
        abortedAfterMs = Date.now() - started
      })
      return new Promise<never>(() => {}) // busy, and deaf to the signal
    })
    expect(result.outcome).toBe('expired')
    expect(abortedAfterMs).toBeGreaterThanOrEqual(500)
    expect(abortedAfterMs).toBeLessThan(2_400)
    expect(running.stats().byRoute.complete).toBeUndefined()

    const other = client(running)
    await expect(other.reserve('job_share_linkedin')).rejects.toBeInstanceOf(
      JobAlreadyReservedError,
    )
    running.advance(3_000)
    const taken = await other.reserve('job_share_linkedin')
    expect(taken.reservation_id).not.toBe(result.reservation.reservation_id)
  })

  test('the connection drops after complete was processed: exactly one submission', async () => {
    const running = await sandbox()
    running.faults.add({ route: 'complete', drop: true, times: 1 })
    const jobs = client(running)
    const result = await jobs.run('job_share_linkedin', shareProof, fast)
    expect(result.outcome).toBe('verified')
    expect(running.stats().dropped).toBe(1)
    expect(running.state().submissions).toHaveLength(1)
    // The first sending (dropped), the identical re-send (a replay), then a status check.
    expect(running.stats().byRoute.complete).toBe(2)
    expect(jobs.events).toContainEqual(
      expect.objectContaining({ type: 'recovery', recovery: 'check-status' }),
    )
  })

  test('429 with Retry-After: waits that long, then succeeds', async () => {
    const running = await sandbox()
    running.faults.add({ route: 'list', status: 429, times: 1, retryAfterSeconds: 1 })
    const jobs = client(running)
    const started = Date.now()
    const page = await jobs.listJobs({ limit: 3 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000)
    expect(page.jobs).toHaveLength(3)
    expect(running.stats().byStatus[429]).toBe(1)
    expect(jobs.events).toContainEqual(
      expect.objectContaining({
        type: 'retry',
        reason: 'retry-later',
        delayMs: expect.any(Number),
      }),
    )
    const retry = jobs.events.find((event) => event.type === 'retry')
    expect(retry?.type === 'retry' && retry.delayMs).toBeGreaterThanOrEqual(1_000)
  })

  test('20 clients race to reserve one job: one wins, nineteen get a typed conflict', async () => {
    const running = await sandbox()
    const clients = Array.from({ length: 20 }, () => client(running))
    const results = await Promise.allSettled(
      clients.map((each) => each.reserve('job_workflow_invoice_digest')),
    )
    const won = results.filter((result) => result.status === 'fulfilled')
    const lost = results.filter((result) => result.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(19)
    for (const result of lost) expect(result.reason).toBeInstanceOf(JobAlreadyReservedError)
    expect(running.state().reservations).toHaveLength(1)
  })

  test('pagination across pages while other agents reserve jobs: each open job once', async () => {
    const extra: SandboxJob[] = Array.from({ length: 13 }, (_, i) => ({
      jobId: `job_extra_${String(i).padStart(2, '0')}`,
      jobType: 'social_share',
      title: `Extra job ${i}`,
      rewardCredits: 5,
      platform: 'x',
      targetUrl: 'https://www.agentpmt.com/marketplace',
      instructions: 'Post once.',
    }))
    const running = await sandbox({ jobs: [...defaultJobs, ...extra] })
    const total = defaultJobs.length + extra.length
    const reader = client(running)
    const others = client(running)
    const seen: string[] = []
    const taken = new Set<string>()
    for await (const job of reader.jobs({ pageSize: 4 })) {
      seen.push(job.job_id)
      // Another agent reserves what we just saw, and every third time one we have not seen yet.
      await others.reserve(job.job_id).then(
        () => taken.add(job.job_id),
        () => {},
      )
      if (seen.length % 3 === 0) {
        const ahead = running
          .state()
          .jobs.find((entry) => entry.status === 'open' && !seen.includes(entry.job_id))
        if (ahead) {
          await others.reserve(ahead.job_id)
          taken.add(ahead.job_id)
        }
      }
    }
    expect(new Set(seen).size).toBe(seen.length)
    const allIds = running.state().jobs.map((job) => job.job_id)
    expect(allIds).toHaveLength(total)
    // Every job that no other agent took was listed exactly once.
    for (const id of allIds) if (!taken.has(id)) expect(seen).toContain(id)
    expect(seen.length).toBeGreaterThan(total / 2)
  })
})
