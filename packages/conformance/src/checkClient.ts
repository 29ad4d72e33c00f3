import { setTimeout as sleep } from 'node:timers/promises'
import {
  defaultJobs,
  type SandboxApp,
  type SandboxDialect,
  type StoreSnapshot,
} from '@agentpmt-kit/sandbox'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { killProcessGroup, startProcessGroup } from './internal/process.js'
import { judgeScenario, type Refusal, type Verdict, type VerdictStatus } from './judgeScenario.js'
import { startRecordedSandbox } from './recorder.js'
import {
  type Behaviour,
  behaviours,
  type Scenario,
  type ScenarioOutcome,
  scenarios,
} from './scenarios.js'

/**
 * The environment variables a client under test reads, set afresh for each scenario.
 *
 * @example
 * ```ts
 * import { clientVariables } from '@agentpmt-kit/conformance'
 *
 * clientVariables.workMs // 'AGENTPMT_WORK_MS'
 * ```
 */
export const clientVariables: {
  readonly baseUrl: 'AGENTPMT_BASE_URL'
  readonly privateKey: 'AGENTPMT_PRIVATE_KEY'
  readonly jobId: 'AGENTPMT_JOB_ID'
  readonly workMs: 'AGENTPMT_WORK_MS'
  readonly postUrl: 'AGENTPMT_POST_URL'
} = {
  baseUrl: 'AGENTPMT_BASE_URL',
  privateKey: 'AGENTPMT_PRIVATE_KEY',
  jobId: 'AGENTPMT_JOB_ID',
  workMs: 'AGENTPMT_WORK_MS',
  postUrl: 'AGENTPMT_POST_URL',
}

/**
 * The result of one scenario: each behaviour's verdict, the refusals the server answered (the
 * cause of a failure, read from the traffic), the client's exit and the end of its output (for a
 * person reading a failure).
 *
 * @example
 * ```ts
 * import type { ScenarioResult } from '@agentpmt-kit/conformance'
 *
 * declare const result: ScenarioResult
 * result.verdicts.find((verdict) => verdict.behaviour === 'session-renewed')?.status
 * ```
 */
export type ScenarioResult = {
  scenario: string
  description: string
  status: 'pass' | 'fail'
  /** How the job must end on the honest sandbox. */
  outcome: ScenarioOutcome
  verdicts: Verdict[]
  refusals: Refusal[]
  exit: { code: number | null; signal: string | null; timedOut: boolean }
  durationMs: number
  requests: number
  outputTail: string
}

/**
 * The report of {@link checkClient} (what `agentpmt conformance client --json` prints): per
 * scenario, and per behaviour over the scenarios run: `fail` if it failed in one, else
 * `inconclusive` if it was in one, else `pass` if it passed in one, else `not-reached` if an
 * earlier failure kept it from being tested, else `n/a` (no scenario run put it to the test: with
 * `only`, a behaviour that never ran is never shown as passed).
 *
 * @example
 * ```ts
 * import type { ClientReport } from '@agentpmt-kit/conformance'
 *
 * declare const report: ClientReport
 * report.behaviours['no-doubled-completion'] // 'pass'
 * ```
 */
export type ClientReport = {
  tool: 'agentpmt conformance client'
  command: string[]
  dialect: SandboxDialect[]
  verdict: 'pass' | 'fail'
  behaviours: Record<Behaviour, VerdictStatus>
  scenarios: ScenarioResult[]
}

/**
 * Options of {@link checkClient}.
 *
 * @example
 * ```ts
 * import type { CheckClientOptions } from '@agentpmt-kit/conformance'
 *
 * const options: CheckClientOptions = { command: ['python3', 'my_client.py'], scenarioTimeoutMs: 60_000 }
 * const serverTwoDaysBehind: CheckClientOptions = { ...options, clockOffsetMs: -2 * 86_400_000 }
 * ```
 */
export type CheckClientOptions = {
  command: readonly string[]
  /** Time a client has for one scenario before it is killed. */
  scenarioTimeoutMs: number
  /** Run only these scenarios (by name); all by default. */
  only?: readonly string[] | undefined
  /** How the sandbox answers; `default` when omitted. */
  dialect?: readonly SandboxDialect[] | undefined
  /**
   * How far the sandbox's clock (and its `Date` header) runs from this machine's, in ms
   * (negative: behind): a client must read the server's deadlines on the server's clock. 0 by
   * default (or the `clock-behind` dialect's).
   */
  clockOffsetMs?: number | undefined
  env?: Readonly<Record<string, string | undefined>> | undefined
  /**
   * Scenarios run at once, each with its own sandbox and wallet (they mostly wait on timers);
   * all of them by default.
   */
  concurrency?: number | undefined
}

const outputTailBytes = 2000
const verificationDelayMs = 100
// Two verification phases, and room for a loaded machine.
const settleMs = 20 * verificationDelayMs
const job = defaultJobs.find((candidate) => candidate.jobType === 'social_share')!
/** Worst first: the overall status of a behaviour is the first one any scenario gave it. */
const precedence: readonly VerdictStatus[] = ['fail', 'inconclusive', 'pass', 'not-reached', 'n/a']

/**
 * Runs the client under test once per scenario, each time against a fresh sandbox behind a
 * recorder, with a fresh wallet, and judges the traffic. Scenarios run side by side.
 *
 * @example
 * ```ts
 * import { checkClient } from '@agentpmt-kit/conformance'
 *
 * const report = await checkClient({ command: ['python3', 'my_client.py'], scenarioTimeoutMs: 60_000 })
 * report.verdict // 'pass'
 * ```
 */
export async function checkClient(options: CheckClientOptions): Promise<ClientReport> {
  const chosen = scenarios.filter(
    (scenario) => options.only === undefined || options.only.includes(scenario.name),
  )
  const results = await inParallel(chosen, options.concurrency ?? chosen.length, (scenario) =>
    runScenario(scenario, options),
  )
  const overall = Object.fromEntries(
    (Object.keys(behaviours) as Behaviour[]).map((behaviour) => {
      const statuses = results.flatMap((result) =>
        result.verdicts.filter((verdict) => verdict.behaviour === behaviour).map((v) => v.status),
      )
      return [behaviour, precedence.find((status) => statuses.includes(status)) ?? 'n/a']
    }),
  ) as Record<Behaviour, VerdictStatus>
  return {
    tool: 'agentpmt conformance client',
    command: [...options.command],
    dialect: [...(options.dialect ?? ['default'])],
    verdict: results.every((result) => result.status === 'pass') ? 'pass' : 'fail',
    behaviours: overall,
    scenarios: results,
  }
}

/** Maps `items` through `run`, at most `limit` at a time, results in the order of `items`. */
async function inParallel<item, result>(
  items: readonly item[],
  limit: number,
  run: (item: item) => Promise<result>,
): Promise<result[]> {
  const results: result[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await run(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}

async function runScenario(
  scenario: Scenario,
  options: CheckClientOptions,
): Promise<ScenarioResult> {
  const key = generatePrivateKey()
  const wallet = privateKeyToAccount(key).address.toLowerCase()
  const recorded = await startRecordedSandbox({
    ...scenario.sandbox,
    dialect: options.dialect,
    clockOffsetMs: options.clockOffsetMs,
    verificationDelayMs,
    // Load shedding would only add 503s the scenario did not script.
    maxQueueMs: Number.POSITIVE_INFINITY,
  })
  const started = performance.now()
  try {
    const exit = await runClient(options, {
      [clientVariables.baseUrl]: recorded.url,
      [clientVariables.privateKey]: key,
      [clientVariables.jobId]: job.jobId,
      [clientVariables.workMs]: String(scenario.workMs),
      [clientVariables.postUrl]: `https://www.linkedin.com/feed/update/urn:li:activity:conformance-${scenario.name}`,
    })
    const { verdicts, refusals } = await judgeScenario({
      scenario,
      jobId: job.jobId,
      wallet,
      exchanges: recorded.exchanges,
      state: await settledState(recorded.sandbox),
      exit: exit.exit,
      dialect: options.dialect,
    })
    return {
      scenario: scenario.name,
      description: scenario.description,
      status: verdicts.some((verdict) => verdict.status === 'fail') ? 'fail' : 'pass',
      outcome: scenario.outcome,
      verdicts,
      refusals,
      exit: exit.exit,
      durationMs: Math.round(performance.now() - started),
      requests: recorded.exchanges.length,
      // The key was handed to the client: never echo it, whatever the client printed.
      outputTail: exit.output.replace(new RegExp(`(?:0x)?${key.slice(2)}`, 'gi'), '<redacted key>'),
    }
  } finally {
    await recorded.close()
  }
}

/**
 * The server's record once every verification has ended: a client that exits while its submission
 * is still `queued` or `running` is judged against the outcome it would have seen.
 */
async function settledState(sandbox: SandboxApp): Promise<StoreSnapshot> {
  const pending = (state: StoreSnapshot) =>
    state.submissions.some(
      (item) => item.verification === 'queued' || item.verification === 'running',
    )
  let state = sandbox.state()
  for (let waited = 0; pending(state) && waited < settleMs; waited += 50) {
    await sleep(50)
    state = sandbox.state()
  }
  return state
}

async function runClient(
  options: CheckClientOptions,
  variables: Record<string, string>,
): Promise<{ exit: ScenarioResult['exit']; output: string }> {
  const child = startProcessGroup(options.command, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...options.env, ...variables },
  })
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-outputTailBytes)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    killProcessGroup(child)
  }, options.scenarioTimeoutMs)
  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('error', (error) => {
      output += `\n${error.message}`
      resolve({ code: null, signal: null })
    })
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  clearTimeout(timer)
  return { exit: { ...exit, timedOut }, output: output.trim() }
}
