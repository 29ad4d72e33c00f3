import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'
import { type ClientReport, checkClient } from './checkClient.js'
import { type Behaviour, behaviours, scenarios } from './scenarios.js'

// The check-can-fail enumeration of the client role: every behaviour, and every scenario's
// outcome requirement, has a flaw of the fixture client that fails it; each flaw fails exactly
// one behaviour (one fault, one failure; what follows is not-reached); the honest clients, in
// TypeScript and in Python, fail nothing.

const fixture = fileURLToPath(new URL('../fixtures/client.mjs', import.meta.url))
const pythonClient = fileURLToPath(new URL('../fixtures/python/client.py', import.meta.url))
const everyBehaviour = Object.keys(behaviours) as Behaviour[]

/** Each flaw of fixtures/client.mjs and the one behaviour it must fail. */
const flaws: Record<string, Behaviour> = {
  'no-renew': 'session-renewed',
  'reuse-request-id': 'fresh-request-id-after-refusal',
  'same-id-after-503': 'fresh-request-id-after-refusal',
  'resubmit-blindly': 'same-request-on-transport-retry',
  'ignore-retry-after': 'retry-after-honoured',
  'ignore-deadline': 'work-stopped-before-expiry',
  'resubmit-after-status': 'no-doubled-completion',
  'hash-envelope': 'envelope-fields-never-hashed',
  'go-json-escaping': 'job-done',
  'give-up-at-once': 'job-done',
  'exit-before-verification': 'truthful-outcome',
  'lie-about-outcome': 'truthful-outcome',
}

const clients: Record<string, readonly string[]> = {
  honest: [process.execPath, fixture],
  python: ['python3', pythonClient],
  ...Object.fromEntries(
    Object.keys(flaws).map((flaw) => [flaw, [process.execPath, fixture, `--flaw=${flaw}`]]),
  ),
}

const reports = new Map<string, ClientReport>()
let wrongKey: ClientReport

beforeAll(async () => {
  // Scenarios mostly wait on timers: the clients run side by side, each one scenario at a time
  // (starting a client costs CPU; more at once only starves the short session lifetimes).
  const names = Object.keys(clients)
  const [done, oneScenario] = await Promise.all([
    Promise.all(
      names.map((name) =>
        checkClient({ command: clients[name]!, scenarioTimeoutMs: 60_000, concurrency: 1 }),
      ),
    ),
    checkClient({
      command: [process.execPath, fixture, '--flaw=wrong-key'],
      scenarioTimeoutMs: 60_000,
      only: ['baseline'],
    }),
  ])
  for (const [index, name] of names.entries()) reports.set(name, done[index]!)
  wrongKey = oneScenario
}, 300_000)

const failedIn = (report: ClientReport): Behaviour[] =>
  everyBehaviour.filter((behaviour) => report.behaviours[behaviour] === 'fail')

const failuresPerScenario = (report: ClientReport) =>
  report.scenarios.map((result) => ({
    scenario: result.scenario,
    failed: result.verdicts.filter((verdict) => verdict.status === 'fail').length,
  }))

describe('the client check can fail every behaviour, and only where it should', () => {
  test('every behaviour has a flaw that fails it', () => {
    const failedSomewhere = new Set(Object.values(flaws))
    expect(everyBehaviour.filter((behaviour) => !failedSomewhere.has(behaviour))).toEqual([])
  })

  test("every scenario's outcome requirement is failed by some flaw (job-not-done)", () => {
    const unfailed = scenarios
      .map((scenario) => scenario.name)
      .filter(
        (name) =>
          ![...reports.values()].some((report) =>
            report.scenarios
              .find((result) => result.scenario === name)
              ?.verdicts.some(
                (verdict) => verdict.behaviour === 'job-done' && verdict.status === 'fail',
              ),
          ),
      )
    expect(unfailed).toEqual([])
  })

  test.each(['honest', 'python'])(
    'the %s client fails nothing and passes every behaviour',
    (name) => {
      const report = reports.get(name)!
      const problems = report.scenarios.flatMap((result) =>
        result.verdicts
          .filter((verdict) => verdict.status !== 'pass' && verdict.status !== 'n/a')
          .map((verdict) => `${result.scenario}/${verdict.behaviour}: ${verdict.evidence}`),
      )
      expect(problems).toEqual([])
      expect(report.behaviours).toEqual(
        Object.fromEntries(everyBehaviour.map((behaviour) => [behaviour, 'pass'])),
      )
      expect(report.verdict).toBe('pass')
    },
  )

  test.each(Object.entries(flaws))('--flaw=%s fails exactly %s', (flaw, behaviour) => {
    const report = reports.get(flaw)!
    const evidence = report.scenarios.flatMap((result) =>
      result.verdicts
        .filter((verdict) => verdict.status === 'fail')
        .map((verdict) => `${result.scenario}/${verdict.behaviour}: ${verdict.evidence}`),
    )
    expect(failedIn(report), evidence.join('\n')).toEqual([behaviour])
    // One fault, one failure: never two failures in one scenario.
    for (const count of failuresPerScenario(report)) expect(count.failed).toBeLessThanOrEqual(1)
    expect(report.verdict).toBe('fail')
  })

  test('a client that cannot finish its completion fails with job-not-done and the cause named', () => {
    const report = reports.get('go-json-escaping')!
    const baseline = report.scenarios.find((result) => result.scenario === 'baseline')!
    const jobDone = baseline.verdicts.find((verdict) => verdict.behaviour === 'job-done')!
    expect(jobDone.status).toBe('fail')
    expect(jobDone.evidence).toMatch(/^job-not-done: /)
    expect(jobDone.evidence).toContain(
      'every job_complete was refused (1 × 401 EXTERNAL_SIGNATURE_WALLET_MISMATCH): payload hash differs',
    )
    expect(jobDone.evidence).toContain('go-html-escaping')
    expect(jobDone.evidence).toContain('\\u0026')
    // Its signatures do recover (under the Go hypothesis): the envelope check may say pass.
    expect(
      baseline.verdicts.find((verdict) => verdict.behaviour === 'envelope-fields-never-hashed')
        ?.status,
    ).toBe('pass')
  })

  test('a signature that recovers to no wallet is inconclusive for the envelope check, never pass', () => {
    const [baseline] = wrongKey.scenarios
    const statuses = Object.fromEntries(
      baseline!.verdicts.map((verdict) => [verdict.behaviour, verdict.status]),
    )
    expect(statuses['envelope-fields-never-hashed']).toBe('inconclusive')
    expect(statuses['job-done']).toBe('fail')
    expect(baseline!.refusals[0]?.diagnosis).toMatch(/recovers to the wallet under none of the/)
    expect(wrongKey.behaviours['envelope-fields-never-hashed']).toBe('inconclusive')
  })

  test('a client that never renews fails session-renewed only; what follows is not reached', () => {
    const result = reports
      .get('no-renew')!
      .scenarios.find((item) => item.scenario === 'refused-signature')!
    const statuses = Object.fromEntries(
      result.verdicts.map((verdict) => [verdict.behaviour, verdict.status]),
    )
    expect(statuses['session-renewed']).toBe('fail')
    expect(statuses['job-done']).toBe('not-reached')
    expect(
      result.verdicts.filter((verdict) => verdict.status === 'not-reached').map((v) => v.cause),
    ).toEqual(
      result.verdicts
        .filter((verdict) => verdict.status === 'not-reached')
        .map(() => 'session-renewed'),
    )
  })
})
