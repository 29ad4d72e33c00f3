/**
 * The client check against a server whose clock is off (issue 22): at -2 days, -40 min, +40 min
 * and +2 days, the conformance agent's loop (jobs-client's `run()`, in-process, judged as
 * `agentpmt conformance agent` is) and the independent Python client (which reads the server's
 * clock from its `Date` header) fail no behaviour of the scenarios where time matters; the
 * TypeScript fixture client, which compares `expires_at` with its own clock, fails the behaviour
 * that should catch it: behind, it gives the job up at once (`job-done`); ahead, it works past the
 * reservation's end (`work-stopped-before-expiry`).
 */

import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { createJobsClient } from '@agentpmt-kit/jobs-client'
import { defaultJobs } from '@agentpmt-kit/sandbox'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { beforeAll, describe, expect, test } from 'vitest'
import { type ClientReport, checkClient } from './checkClient.js'
import { judgeScenario, type Verdict } from './judgeScenario.js'
import { startRecordedSandbox } from './recorder.js'
import { type Behaviour, type Scenario, scenarios } from './scenarios.js'

const minute = 60_000
const day = 24 * 60 * minute
const offsets: Record<string, number> = {
  '2 days behind': -2 * day,
  '40 minutes behind': -40 * minute,
  '40 minutes ahead': 40 * minute,
  '2 days ahead': 2 * day,
}
/** The scenarios where the server's time is read: deadlines, session lifetimes, Retry-After. */
const timed = [
  'baseline',
  'session-expires-mid-loop',
  'service-unavailable',
  'reservation-expires-during-work',
]
const fixture = fileURLToPath(new URL('../fixtures/client.mjs', import.meta.url))
const pythonClient = fileURLToPath(new URL('../fixtures/python/client.py', import.meta.url))
const job = defaultJobs.find((candidate) => candidate.jobType === 'social_share')!

type Judged = { scenario: string; outcome: string; verdicts: Verdict[] }

/**
 * One scenario run by the conformance agent's loop (packages/cli conformance/client/agent.ts):
 * reserve, work (stopped by the reservation's signal), complete, follow verification.
 */
async function agentRun(scenario: Scenario, clockOffsetMs: number): Promise<Judged> {
  const recorded = await startRecordedSandbox({
    ...scenario.sandbox,
    clockOffsetMs,
    verificationDelayMs: 100,
    maxQueueMs: Number.POSITIVE_INFINITY,
  })
  try {
    const account = privateKeyToAccount(generatePrivateKey())
    const client = createJobsClient({
      signer: createViemSigner(account),
      baseUrl: recorded.url,
      safetyMarginMs: 1_000,
    })
    const result = await client.run(
      job.jobId,
      async (reservation) => {
        await sleep(scenario.workMs, undefined, { signal: reservation.signal })
        return {
          proof_text: 'Published one post with the tracked link.',
          social_posts: [
            {
              platform: reservation.platform ?? '',
              post_url: `https://www.linkedin.com/feed/update/urn:li:activity:${scenario.name}`,
              target_url_used: reservation.trackedUrl ?? '',
              message_text: `Paid AgentPMT share: ${reservation.trackedUrl}`,
              posted_at: new Date().toISOString(),
            },
          ],
        }
      },
      { verification: { intervalMs: 50, maxIntervalMs: 200 } },
    )
    const { verdicts } = await judgeScenario({
      scenario,
      jobId: job.jobId,
      wallet: account.address.toLowerCase(),
      exchanges: recorded.exchanges,
      state: recorded.sandbox.state(),
      exit: { code: result.outcome === 'verified' ? 0 : 1, signal: null, timedOut: false },
    })
    return { scenario: scenario.name, outcome: result.outcome, verdicts }
  } finally {
    await recorded.close()
  }
}

const failuresOf = (results: readonly Judged[]): string[] =>
  results.flatMap(({ scenario, verdicts }) =>
    verdicts
      .filter((verdict) => verdict.status === 'fail')
      .map((verdict) => `${scenario}/${verdict.behaviour}: ${verdict.evidence}`),
  )

const check = (command: readonly string[], clockOffsetMs: number, only: readonly string[]) =>
  checkClient({ command, scenarioTimeoutMs: 60_000, only, clockOffsetMs, concurrency: 2 })

const agent = new Map<string, Judged[]>()
const python = new Map<string, ClientReport>()
const localClock = new Map<string, ClientReport>()

beforeAll(async () => {
  const chosen = scenarios.filter((scenario) => timed.includes(scenario.name))
  // One offset at a time: the scenarios' sessions live five seconds, and sixteen loops and eight
  // client processes at once starve them on a busy two-core machine.
  for (const [name, offset] of Object.entries(offsets)) {
    const [agentResults, pythonReport, localReport] = await Promise.all([
      Promise.all(chosen.map((scenario) => agentRun(scenario, offset))),
      check(['python3', pythonClient], offset, timed),
      check(
        [process.execPath, fixture],
        offset,
        offset < 0 ? ['baseline'] : ['reservation-expires-during-work'],
      ),
    ])
    agent.set(name, agentResults)
    python.set(name, pythonReport)
    localClock.set(name, localReport)
  }
}, 480_000)

describe.each(Object.keys(offsets))('the server clock %s', (name) => {
  test('the conformance agent fails no behaviour and ends every job as the scenario says', () => {
    const results = agent.get(name)!
    expect(failuresOf(results)).toEqual([])
    expect(results.map(({ scenario, outcome }) => [scenario, outcome])).toEqual(
      scenarios
        .filter((scenario) => timed.includes(scenario.name))
        .map((scenario) => [scenario.name, scenario.outcome === 'lapsed' ? 'expired' : 'verified']),
    )
  })

  test('the Python client, which reads the server clock from Date, passes', () => {
    const report = python.get(name)!
    expect(failuresOf(report.scenarios)).toEqual([])
    expect(report.scenarios.map((result) => result.scenario)).toEqual(timed)
  })

  test('a client that reads expires_at with its own clock fails the behaviour that catches it', () => {
    const report = localClock.get(name)!
    const behind = offsets[name]! < 0
    const caught: Behaviour = behind ? 'job-done' : 'work-stopped-before-expiry'
    expect(report.verdict).toBe('fail')
    expect(
      report.scenarios.flatMap((result) =>
        result.verdicts.filter((v) => v.status === 'fail').map((v) => v.behaviour),
      ),
    ).toEqual([caught])
  })
})
