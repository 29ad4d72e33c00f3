import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Behaviour, behaviours, type ClientReport } from '@agentpmt-kit/conformance'
import { beforeAll, describe, expect, test } from 'vitest'
import { binPath, ensureBuilt, runCli } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

const fixture = join(
  fileURLToPath(new URL('../../../', import.meta.url)),
  'conformance',
  'fixtures',
  'client.mjs',
)
const everyBehaviour = Object.keys(behaviours) as Behaviour[]

async function checkClient(
  command: readonly string[],
  args: readonly string[] = [],
): Promise<{ code: number | null; report: ClientReport }> {
  const result = await runCli(['conformance', 'client', '--json', ...args, '--', ...command], {
    timeoutMs: 240_000,
  })
  return { code: result.code, report: JSON.parse(result.stdout) as ClientReport }
}

const failed = (report: ClientReport): Behaviour[] =>
  everyBehaviour.filter((behaviour) => report.behaviours[behaviour] === 'fail')

describe('agentpmt conformance client', () => {
  test('jobs-client (conformance agent) passes every scenario, every behaviour seen', async () => {
    const { code, report } = await checkClient([process.execPath, binPath, 'conformance', 'agent'])
    expect(report.scenarios.map((result) => [result.scenario, result.status])).toEqual([
      ['baseline', 'pass'],
      ['session-expires-mid-loop', 'pass'],
      ['refused-signature', 'pass'],
      ['service-unavailable', 'pass'],
      ['reservation-expires-during-work', 'pass'],
      ['response-lost-after-completion', 'pass'],
    ])
    expect(Object.values(report.behaviours)).toEqual(everyBehaviour.map(() => 'pass'))
    expect(code).toBe(0)
  }, 240_000)

  test('a client written apart from jobs-client passes too: the suite is not jobs-client described', async () => {
    const { code, report } = await checkClient([process.execPath, fixture])
    expect(failed(report)).toEqual([])
    expect(Object.values(report.behaviours)).toEqual(everyBehaviour.map(() => 'pass'))
    expect(code).toBe(0)
  }, 240_000)

  test('jobs-client passes under other dialects too; with no expiry told, its deadline is a guess', async () => {
    const agent = [process.execPath, binPath, 'conformance', 'agent']
    const [skill, python, minimal] = await Promise.all(
      ['agent-skill', 'python-timestamps,nulls-and-extras', 'minimal'].map((dialect) =>
        checkClient(agent, ['--dialect', dialect]),
      ),
    )
    expect(skill?.report.dialect).toEqual(['agent-skill'])
    expect(failed(skill!.report)).toEqual([])
    expect(failed(python!.report)).toEqual([])
    // The minimal server never says when a reservation ends: the client's default (10 minutes) is
    // longer than the 3 s the sandbox gives, so the work runs past the real deadline.
    expect(failed(minimal!.report)).toEqual(['work-stopped-before-expiry'])
    expect(
      minimal!.report.scenarios
        .filter((result) => result.status === 'fail')
        .map((result) => result.scenario),
    ).toEqual(['reservation-expires-during-work'])
  }, 240_000)

  // Each flaw of the fixture client, and exactly the behaviours it must fail. A client that cannot
  // sign never reaches the later steps: the behaviours its scenarios provoke are failed as unseen.
  const flaws: Record<string, Behaviour[]> = {
    'hash-envelope': [
      'session-renewed',
      'same-request-on-transport-retry',
      'work-stopped-before-expiry',
      'no-doubled-completion',
      'envelope-fields-never-hashed',
    ],
    'reuse-request-id': ['fresh-request-id-after-refusal'],
    'ignore-retry-after': ['retry-after-honoured'],
    'no-session-renewal': ['session-renewed', 'fresh-request-id-after-refusal'],
    'ignore-deadline': ['work-stopped-before-expiry'],
    'resubmit-blindly': [
      'same-request-on-transport-retry',
      'no-doubled-completion',
      'truthful-outcome',
    ],
    'lie-about-outcome': ['truthful-outcome'],
  }

  test('each flaw of the fixture client fails exactly the behaviours it breaks', async () => {
    // Scenarios mostly wait on timers: the flaws run side by side.
    const runs = await Promise.all(
      Object.keys(flaws).map((flaw) => checkClient([process.execPath, fixture, `--flaw=${flaw}`])),
    )
    const found = Object.fromEntries(
      Object.keys(flaws).map((flaw, index) => [flaw, failed(runs[index]!.report)]),
    )
    expect(found).toEqual(flaws)
    for (const run of runs) expect(run.code).toBe(1)
  }, 240_000)

  test('the key handed to the client never reaches the report, whatever the client prints', async () => {
    const { report } = await checkClient(
      [
        process.execPath,
        '-e',
        'const key = process.env.AGENTPMT_PRIVATE_KEY; console.log(key); console.error(key.slice(2)); process.exitCode = 3',
      ],
      ['--scenario', 'baseline'],
    )
    const [result] = report.scenarios
    expect(result?.exit).toEqual({ code: 3, signal: null, timedOut: false })
    expect(result?.outputTail).toBe('<redacted key>\n<redacted key>')
    expect(JSON.stringify(report)).not.toMatch(/[0-9a-f]{64}/i)
  }, 60_000)

  test('a client that hangs is killed at the scenario timeout and reported, never hanging the run', async () => {
    const { code, report } = await checkClient(
      [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      ['--scenario', 'baseline', '--timeout', '2s'],
    )
    expect(code).toBe(1)
    const truthful = report.scenarios[0]?.verdicts.find(
      (verdict) => verdict.behaviour === 'truthful-outcome',
    )
    expect(truthful).toEqual({
      behaviour: 'truthful-outcome',
      status: 'fail',
      evidence: 'the client did not exit within the time allowed',
    })
  }, 60_000)
})
