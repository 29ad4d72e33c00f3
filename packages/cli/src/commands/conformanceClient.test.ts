import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Behaviour, behaviours, type ClientReport, scenarios } from '@agentpmt-kit/conformance'
import { beforeAll, describe, expect, test } from 'vitest'
import { binPath, ensureBuilt, runCli } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

// The flaw matrix of the client check (each flaw fails exactly one behaviour, honest clients in
// TypeScript and Python fail nothing) is packages/conformance/src/checkClient.canFail.test.ts;
// here: the command itself, with jobs-client as the reference client.
const fixture = join(
  fileURLToPath(new URL('../../../', import.meta.url)),
  'conformance',
  'fixtures',
  'client.mjs',
)
const everyBehaviour = Object.keys(behaviours) as Behaviour[]
const agent = [process.execPath, binPath, 'conformance', 'agent']

async function checkClient(
  command: readonly string[],
  args: readonly string[] = [],
): Promise<{ code: number | null; report: ClientReport }> {
  const result = await runCli(['conformance', 'client', '--json', ...args, '--', ...command], {
    timeoutMs: 240_000,
  })
  return { code: result.code, report: JSON.parse(result.stdout) as ClientReport }
}

/** Each failure with its scenario and evidence, so that a failing test says why. */
const failures = (report: ClientReport): string[] =>
  report.scenarios.flatMap((result) =>
    result.verdicts
      .filter((verdict) => verdict.status === 'fail')
      .map((verdict) => `${result.scenario}/${verdict.behaviour}: ${verdict.evidence}`),
  )

// One test at a time: each runs every scenario (sessions of five seconds) with a client process
// per scenario; five at once starved them on a busy two-core machine.
describe('agentpmt conformance client', () => {
  test('jobs-client (conformance agent) passes every scenario, every behaviour judged pass', async () => {
    const { code, report } = await checkClient(agent)
    expect(failures(report)).toEqual([])
    expect(report.scenarios.map((result) => [result.scenario, result.status])).toEqual(
      scenarios.map((scenario) => [scenario.name, 'pass']),
    )
    expect(Object.values(report.behaviours)).toEqual(everyBehaviour.map(() => 'pass'))
    expect(code).toBe(0)
  }, 240_000)

  test('jobs-client passes under other dialects; with no expiry told, the deadline check is n/a', async () => {
    const [skill, python, minimal] = await Promise.all(
      ['agent-skill', 'python-timestamps,nulls-and-extras', 'minimal'].map((dialect) =>
        checkClient(agent, ['--dialect', dialect]),
      ),
    )
    expect(skill?.report.dialect).toEqual(['agent-skill'])
    expect(failures(skill!.report)).toEqual([])
    expect(failures(python!.report)).toEqual([])
    expect(failures(minimal!.report)).toEqual([])
    expect(minimal!.report.verdict).toBe('pass')
    // The minimal server never says when a reservation ends: no client can know when to stop.
    expect(minimal!.report.behaviours['work-stopped-before-expiry']).toBe('n/a')
    const reason = minimal!.report.scenarios
      .find((result) => result.scenario === 'reservation-expires-during-work')
      ?.verdicts.find((verdict) => verdict.behaviour === 'work-stopped-before-expiry')
    expect(reason).toEqual({
      behaviour: 'work-stopped-before-expiry',
      status: 'n/a',
      evidence: 'the minimal dialect tells no reservation expiry: no client can know when to stop',
    })
  }, 240_000)

  test('a client that cannot complete fails baseline with job-not-done and the cause, in the terminal', async () => {
    const result = await runCli(
      [
        'conformance',
        'client',
        '--scenario',
        'baseline',
        '--',
        process.execPath,
        fixture,
        '--flaw=go-json-escaping',
      ],
      { timeoutMs: 180_000 },
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^ {2}FAIL +job-not-done$/m)
    expect(result.stdout).toContain(
      'every job_complete was refused (1 × 401 EXTERNAL_SIGNATURE_WALLET_MISMATCH): payload hash differs',
    )
    expect(result.stdout).toContain('go-html-escaping')
    // Only baseline ran: what it never put to the test is n/a, never shown as passed.
    expect(result.stdout).toMatch(/^ {2}n\/a +session-renewed \(not put to the test here/m)
  }, 180_000)

  test("--clock-offset sets the sandbox's clock: a client that reads deadlines on its own clock fails", async () => {
    // The fixture compares expires_at with its own clock (the flaw the clock check exists for);
    // with the server two days behind, the reservation looks long gone and the job is given up.
    const behind = await checkClient(
      [process.execPath, fixture],
      ['--scenario', 'baseline', '--clock-offset', '-2d'],
    )
    expect(behind.code).toBe(1)
    expect(failures(behind.report)).toEqual([expect.stringMatching(/^baseline\/job-done: /)])
    const jobsClient = await checkClient(agent, ['--scenario', 'baseline', '--clock-offset', '-2d'])
    expect(failures(jobsClient.report)).toEqual([])
    expect(jobsClient.code).toBe(0)
  }, 180_000)

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
  }, 180_000)

  test('a client that hangs is killed at the scenario timeout and reported, never hanging the run', async () => {
    const { code, report } = await checkClient(
      [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      ['--scenario', 'baseline', '--timeout', '2s'],
    )
    expect(code).toBe(1)
    const verdict = (behaviour: Behaviour) =>
      report.scenarios[0]?.verdicts.find((item) => item.behaviour === behaviour)
    // The first cause: the job was never done; the hang follows from it.
    expect(verdict('job-done')?.status).toBe('fail')
    expect(verdict('truthful-outcome')).toEqual({
      behaviour: 'truthful-outcome',
      status: 'not-reached',
      evidence:
        'a consequence of job-done failing first: the client did not exit within the time allowed',
      cause: 'job-done',
    })
  }, 180_000)
})
