import { describe, expect, test } from 'vitest'
import {
  createClock,
  createRandom,
  createStore,
  defaultJobs,
  type SandboxJob,
  type SandboxStore,
} from './index.js'

const wallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'

function storeOf(jobs: readonly SandboxJob[] = defaultJobs) {
  let reads = 0
  let now = Date.parse('2026-05-17T12:00:00.000Z')
  const clock = createClock(() => {
    reads += 1
    return now
  })
  const store = createStore({
    jobs,
    clock,
    random: createRandom(1),
    sessionTtlMs: 900_000,
    reservationTtlMs: 1_800_000,
    verificationDelayMs: 300,
    verificationOutcome: 'verified',
    startingCredits: 100,
  })
  return {
    store,
    reads: () => reads,
    advance: (ms: number) => {
      now += ms
    },
  }
}

describe('the store', () => {
  test('every method reads the clock and applies it first, charge() included', () => {
    const { store, reads } = storeOf()
    const calls: { [name in keyof SandboxStore]: () => unknown } = {
      createSession: () => store.createSession(wallet),
      session: () => store.session('nonce_x'),
      spendRequest: () => store.spendRequest('nonce_x', 'req'),
      listJobs: () => store.listJobs(wallet, { limit: 5, skip: 0 }),
      reserve: () => store.reserve(wallet, 'job_none'),
      complete: () => store.complete(wallet, 'job_none', {}),
      status: () => store.status(wallet, 'job_none'),
      createWorkflow: () =>
        store.createWorkflow('wft_x', 'job_none', {
          name: 'w',
          description: '',
          nodes: [],
          edges: [],
        }),
      publishWorkflow: () => store.publishWorkflow('wft_x', 'job_none', 'wf_x'),
      balance: () => store.balance(wallet),
      charge: () => store.charge(wallet, 1),
      setVerificationOutcome: () => store.setVerificationOutcome('verified'),
      snapshot: () => store.snapshot(),
    }
    expect(Object.keys(calls).sort()).toEqual(Object.keys(store).sort())
    for (const [name, call] of Object.entries(calls)) {
      const before = reads()
      call()
      expect(reads(), name).toBeGreaterThan(before)
    }
  })

  test('charge() sees a reward whose verification time has passed (issue 13)', () => {
    const { store, advance } = storeOf()
    const jobId = 'job_workflow_ticket_triage'
    const reserved = store.reserve(wallet, jobId)
    if (!reserved.ok) throw new Error('reserve')
    const token = reserved.value.workflow_access!.access_token
    const created = store.createWorkflow(token, jobId, {
      name: 'triage',
      description: '',
      nodes: [],
      edges: [],
    })
    if (!created.ok) throw new Error('create')
    store.publishWorkflow(token, jobId, created.value.workflow_id)
    const completed = store.complete(wallet, jobId, {
      proof_text: 'Published.',
      reservation_id: reserved.value.reservation_id,
      workflow_id: created.value.workflow_id,
    })
    expect(completed.ok).toBe(true)
    advance(600) // queued, running, verified: the reward of 60 is due
    // Charged before anything else reads the store: 160 credits, so 150 is affordable.
    expect(store.charge(wallet, 150)).toEqual({ ok: true, value: 10 })
  })

  test('cost per reserve+complete stays flat from 1,000 to 10,000 jobs', () => {
    const perPair = (count: number): number => {
      const jobs: SandboxJob[] = Array.from({ length: count }, (_, index) => ({
        jobId: `job_${index}`,
        jobType: 'social_share',
        title: `Job ${index}`,
        rewardCredits: 5,
        platform: 'x',
        targetUrl: 'https://www.agentpmt.com/jobs',
        instructions: 'Post once.',
      }))
      const { store } = storeOf(jobs)
      const started = performance.now()
      for (const job of jobs) {
        const reserved = store.reserve(wallet, job.jobId)
        if (!reserved.ok) throw new Error(reserved.error.body.detail)
        const completed = store.complete(wallet, job.jobId, {
          proof_text: 'Posted.',
          reservation_id: reserved.value.reservation_id,
          social_posts: [
            {
              platform: 'x',
              post_url: 'https://social.example/x/posts/1',
              target_url_used: (reserved.value.job.social_share!.tracking_links as string[])[0],
              message_text: 'A post.',
              posted_at: '2026-05-17T14:30:00Z',
            },
          ],
        })
        if (!completed.ok) throw new Error(completed.error.body.detail)
      }
      return (performance.now() - started) / count
    }
    perPair(2000) // warm-up
    const small = Math.min(perPair(1000), perPair(1000), perPair(1000))
    const large = perPair(10_000)
    console.log(
      `[sandbox store] per reserve+complete pair: ${(small * 1000).toFixed(0)} µs at 1k jobs, ${(large * 1000).toFixed(0)} µs at 10k`,
    )
    // Scanning every job made this 10x; a loose bound for a shared machine.
    expect(large).toBeLessThan(small * 4)
  }, 60_000)
})
