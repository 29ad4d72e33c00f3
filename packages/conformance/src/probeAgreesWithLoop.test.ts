/**
 * The probe's verdict agrees with what the job loop does on the same server: on every sandbox
 * dialect, under fault rules on the routes the probe reaches (and transient ones on those it does
 * not), and with the server's clock minutes or days off, `probe` says compatible (with or without
 * guesses) exactly when `createJobsClient(...).list()` then `.run()` reaches `verified`. Each side
 * gets a sandbox of its own, configured alike, so that neither spends the other's faults.
 *
 * Outside the probe's sight by design: it never completes a job, so a server that always refuses
 * completions is not in this list (the probe would say compatible, the loop would not verify).
 */

import { createJobsClient, type Reservation } from '@agentpmt-kit/jobs-client'
import {
  type FaultRule,
  type SandboxOptions,
  sandboxDialects,
  startSandbox,
} from '@agentpmt-kit/sandbox'
import { describe, expect, test } from 'vitest'
import { throwawaySigner } from './internal/wire.js'
import { probe } from './probe.js'

const base: SandboxOptions = { verificationDelayMs: 20, maxQueueMs: Number.POSITIVE_INFINITY }

const faults: Record<string, FaultRule> = {
  'session 503 once': { route: 'session', status: 503, times: 1 },
  'list 429 once': { route: 'list', status: 429, times: 1 },
  'reserve 503 twice': { route: 'reserve', status: 503, times: 2 },
  'reserve nonce refused once': {
    route: 'reserve',
    refuse: 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
    times: 1,
  },
  'list nonce expired once': {
    route: 'list',
    refuse: 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
    times: 1,
  },
  'status replay once': { route: 'status', refuse: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY', times: 1 },
  'complete dropped once': { route: 'complete', drop: true, times: 1 },
  'complete 500 once': { route: 'complete', status: 500, times: 1 },
  'reserve slow': { route: 'reserve', latencyMs: 200 },
  'session always 503': { route: 'session', status: 503 },
  'list always refused': { route: 'list', refuse: 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID' },
  'reserve always refused': {
    route: 'reserve',
    refuse: 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
  },
  'status always 503': { route: 'status', status: 503 },
}

const servers: Record<string, SandboxOptions> = {
  ...Object.fromEntries(sandboxDialects.map((dialect) => [`dialect ${dialect}`, { dialect }])),
  ...Object.fromEntries(
    Object.entries(faults).map(([name, rule]) => [`fault ${name}`, { faults: [rule] }]),
  ),
  'clock 40 minutes behind': { clockOffsetMs: -40 * 60_000 },
  'clock 40 minutes ahead': { clockOffsetMs: 40 * 60_000 },
  'clock 2 days behind': { clockOffsetMs: -2 * 86_400_000 },
  'clock 2 days ahead': { clockOffsetMs: 2 * 86_400_000 },
}

/** The probe's verdict, with a reservation of its own (another job than the loop's). */
async function probeVerdict(options: SandboxOptions): Promise<string> {
  const sandbox = await startSandbox({ ...base, ...options })
  try {
    // A loaded machine may take long to answer: the verdict, not the speed, is compared here.
    return (await probe({ baseUrl: sandbox.url, reserve: 'job_share_x', timeoutMs: 60_000 }))
      .verdict
  } catch (error) {
    return `no answer (${(error as Error).message})`
  } finally {
    await sandbox.close()
  }
}

/** What the loop reaches: list the jobs, then run one to its verdict. */
async function loopOutcome(options: SandboxOptions): Promise<string> {
  const sandbox = await startSandbox({ ...base, ...options })
  const client = createJobsClient({
    signer: await throwawaySigner(),
    baseUrl: sandbox.url,
    retry: { baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 1500 },
  })
  try {
    await client.listJobs({ limit: 5 })
    const result = await client.run('job_share_linkedin', shareProof, {
      verification: { intervalMs: 20, maxIntervalMs: 100 },
    })
    return result.outcome
  } catch (error) {
    return `threw ${(error as Error).name}`
  } finally {
    await sandbox.close()
  }
}

function shareProof(reservation: Reservation) {
  return {
    proof_text: 'Published the required AgentPMT social post.',
    social_posts: [
      {
        platform: reservation.platform ?? '',
        post_url: `https://www.linkedin.com/feed/update/urn:li:activity:${reservation.reservation_id}`,
        target_url_used: reservation.trackedUrl ?? '',
        message_text: `Paid AgentPMT share: ${reservation.trackedUrl}`,
        posted_at: new Date().toISOString(),
      },
    ],
  }
}

describe('probe agrees with the loop', () => {
  test('on every dialect, fault rule and clock offset', async () => {
    const results = await Promise.all(
      Object.entries(servers).map(async ([name, options]) => {
        const [verdict, outcome] = await Promise.all([probeVerdict(options), loopOutcome(options)])
        return { name, verdict, outcome }
      }),
    )
    const disagreements = results.filter(
      ({ verdict, outcome }) =>
        (verdict === 'compatible' || verdict === 'compatible-with-guesses') !==
        (outcome === 'verified'),
    )
    expect(disagreements).toEqual([])
    // Both ways are exercised: servers the loop cannot use, and servers it can.
    expect(results.filter(({ outcome }) => outcome === 'verified').length).toBeGreaterThan(20)
    expect(results.filter(({ outcome }) => outcome !== 'verified').map(({ name }) => name)).toEqual(
      expect.arrayContaining(['fault session always 503', 'fault reserve always refused']),
    )
  }, 300_000)
})
