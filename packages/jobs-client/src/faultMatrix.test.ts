/**
 * The fault matrix: many `run()`s through a fault proxy in front of the sandbox (requests lost
 * before and after the server handled them, answers later than the client's timeout, 500, 502,
 * 503, 429 with Retry-After), at three fault rates. What must hold, checked against the server's
 * own record (the sandbox state), not against what the client believes:
 * - no job has two submissions;
 * - every outcome is the server's record: `verified` has a verified submission of that
 *   reservation; `expired` and `abandoned` have none; `unknown` is counted (and must stay rare);
 * - no reservation is left to lapse while its deadline still allowed completing.
 * `FAULT_MATRIX_RUNS` sets the runs per rate (CI: 200; `pnpm bench` runs 1,000 and writes the
 * figures to BENCHMARKS.md through `FAULT_MATRIX_REPORT`).
 */
import { appendFileSync } from 'node:fs'
import { createFaultProxy, createSandboxApp, type SandboxJob } from '@agentpmt-kit/sandbox'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import type { Clock } from './Clock.js'
import { createJobsClient, type JobsClient } from './createJobsClient.js'
import type { RunResult } from './run.js'
import { shareProof } from './test/shareProof.js'

const runsPerRate = Number(process.env.FAULT_MATRIX_RUNS ?? 200)
const concurrency = 8

/**
 * Sleeps (retries, backoff, polls) take no real time and move the clock on; the reservation's
 * deadline timer (`keepAlive: false`) stays a real one, so a run's many sleeps never fire it.
 */
function fastClock(): Clock {
  let offset = 0
  return {
    now: () => Date.now() + offset,
    setTimeout(callback, ms, options) {
      if (options?.keepAlive === false) {
        const timer = setTimeout(callback, ms)
        timer.unref()
        return () => clearTimeout(timer)
      }
      const timer = setImmediate(() => {
        offset += ms
        callback()
      })
      return () => clearImmediate(timer)
    },
  }
}

function shareJobs(count: number): SandboxJob[] {
  return Array.from({ length: count }, (_, index) => ({
    jobId: `job_share_${index}`,
    jobType: 'social_share' as const,
    title: `Share ${index}`,
    rewardCredits: 10,
    platform: 'linkedin',
    targetUrl: 'https://www.agentpmt.com/agent-workflow-skills/example',
    instructions: 'Publish one LinkedIn post with the tracked link.',
  }))
}

type Tally = {
  runs: number
  outcomes: Record<string, number>
  threw: number
  errors: string[]
  doubled: number
  mismatched: string[]
  lapsed: string[]
  faults: Record<string, number>
  recoveries: Record<string, number>
}

async function matrixCell(rate: number, seed: number): Promise<Tally> {
  // The client is under test, not the sandbox's load shedding: the proxy alone injects faults.
  const sandbox = createSandboxApp({
    jobs: shareJobs(runsPerRate),
    verificationDelayMs: 0,
    seed,
    maxQueueMs: Number.POSITIVE_INFINITY,
    maxPendingRequests: Number.POSITIVE_INFINITY,
  })
  const proxy = createFaultProxy({ fetch: sandbox.fetch, rate, seed })
  const recoveries: Record<string, number> = {}
  const clients: JobsClient[] = Array.from({ length: concurrency }, () =>
    createJobsClient({
      signer: createViemSigner(privateKeyToAccount(generatePrivateKey())),
      baseUrl: 'http://sandbox.local',
      fetch: proxy,
      clock: fastClock(),
      // At 60 % loss a call needs many attempts: a patient policy, as such a network requires.
      retry: { maxAttempts: 25, baseDelayMs: 100, maxDelayMs: 2_000 },
      logger: (event) => {
        if (event.type === 'recovery')
          recoveries[event.recovery] = (recoveries[event.recovery] ?? 0) + 1
      },
    }),
  )
  const results = new Map<string, RunResult | { threw: unknown }>()
  let next = 0
  await Promise.all(
    clients.map(async (client) => {
      for (let index = next++; index < runsPerRate; index = next++) {
        const jobId = `job_share_${index}`
        try {
          results.set(jobId, await client.run(jobId, shareProof))
        } catch (error) {
          results.set(jobId, { threw: error })
        }
      }
    }),
  )

  const state = sandbox.state()
  const tally: Tally = {
    runs: runsPerRate,
    outcomes: {},
    threw: 0,
    errors: [],
    doubled: 0,
    mismatched: [],
    lapsed: [],
    faults: { ...proxy.stats().faults },
    recoveries,
  }
  for (const [jobId, result] of results) {
    const submissions = state.submissions.filter((submission) => submission.jobId === jobId)
    if (submissions.length > 1) tally.doubled += 1
    const active = state.reservations.find(
      (reservation) =>
        reservation.jobId === jobId &&
        reservation.state === 'active' &&
        reservation.expiresAt > state.now,
    )
    if ('threw' in result) {
      tally.threw += 1
      tally.errors.push(
        `${jobId}: ${(result.threw as Error).name}: ${(result.threw as Error).message}`,
      )
      // A run that threw must not leave a reservation to lapse.
      if (active !== undefined && submissions.length === 0)
        tally.lapsed.push(`${jobId}: threw ${String(result.threw)}`)
      continue
    }
    tally.outcomes[result.outcome] = (tally.outcomes[result.outcome] ?? 0) + 1
    const ours = submissions.find(
      (submission) => submission.reservationId === result.reservation.reservation_id,
    )
    if (result.outcome === 'unknown') continue
    if (result.outcome === 'expired' || result.outcome === 'abandoned') {
      if (ours !== undefined) tally.mismatched.push(`${jobId}: ${result.outcome} but submitted`)
      if (result.reservation.deadline - 60_000 > state.now)
        tally.lapsed.push(`${jobId}: ${result.outcome} with time left (${String(result.error)})`)
    } else if (ours?.verification !== result.outcome)
      tally.mismatched.push(`${jobId}: ${result.outcome}, record ${ours?.verification ?? 'none'}`)
  }
  return tally
}

test.each([0.1, 0.3, 0.6])(
  'fault rate %s: no doubled submission, outcomes as recorded, nothing left to lapse',
  async (rate) => {
    const tally = await matrixCell(rate, Math.round(rate * 1000))
    console.log(`fault matrix at ${rate}:`, JSON.stringify(tally))
    const report = process.env.FAULT_MATRIX_REPORT
    if (report) appendFileSync(report, `${JSON.stringify({ rate, ...tally })}\n`)
    expect(tally.doubled).toBe(0)
    expect(tally.mismatched).toEqual([])
    expect(tally.lapsed).toEqual([])
    expect(tally.threw).toBe(0)
    expect(tally.outcomes.verified).toBeGreaterThan(runsPerRate * 0.95)
    // Faults were injected for real, of every kind.
    expect(Object.values(tally.faults).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(
      runsPerRate * rate,
    )
  },
  300_000,
)
