import { createInterface } from 'node:readline'
import { type Capability, capabilities, loadCases, type Mismatch } from './cases.js'
import { formatDuration } from './internal/duration.js'
import { killProcessGroup, startProcessGroup } from './internal/process.js'
import { type RunCheck, type RunCheckId, runChecks } from './runChecks.js'

/**
 * The version of the JSON-lines protocol this harness speaks (sent in `start`).
 *
 * @example
 * ```ts
 * import { protocolVersion } from '@agentpmt-kit/conformance'
 *
 * protocolVersion // 1
 * ```
 */
export const protocolVersion = 1

/**
 * What happened to one case. `error` is a failure of the implementation's process, not of its
 * answer: a crash, a hang past the per-case timeout, a line that is not the answer to the case.
 *
 * @example
 * ```ts
 * import type { CaseResult } from '@agentpmt-kit/conformance'
 *
 * const result: CaseResult = { id: 'hash/empty_object', capability: 'hash', check: 'hash', status: 'pass', durationMs: 1 }
 * ```
 */
export type CaseResult = {
  id: string
  capability: Capability
  /** The check the case counts for (see {@link runChecks}). */
  check: RunCheckId
  status: 'pass' | 'fail' | 'skip' | 'error'
  durationMs: number
  description?: string | undefined
  tags?: string[] | undefined
  /** Why it failed, was skipped, or errored. */
  reason?: string | undefined
  problem?: 'timeout' | 'crash' | 'garbage' | 'not-run' | undefined
  input?: unknown
  expected?: unknown
  actual?: unknown
  /** For a failed case: the fields of the answer that differ from the expected ones. */
  mismatches?: Mismatch[] | undefined
}

/**
 * The implementation under test, as it described itself in its `start` answer.
 *
 * @example
 * ```ts
 * import type { Implementation } from '@agentpmt-kit/conformance'
 *
 * const implementation: Implementation = { name: 'agentpmt-kit', language: 'typescript', version: '0.0.0' }
 * ```
 */
export type Implementation = { name: string; language: string; version: string }

/**
 * The counts of one capability.
 *
 * @example
 * ```ts
 * import type { CapabilitySummary } from '@agentpmt-kit/conformance'
 *
 * const summary: CapabilitySummary = { declared: true, total: 2, pass: 2, fail: 0, skip: 0, error: 0 }
 * ```
 */
export type CapabilitySummary = {
  declared: boolean
  /** Why the implementation does not support it, when it said so. */
  unsupported?: string | undefined
  total: number
  pass: number
  fail: number
  skip: number
  error: number
}

/**
 * The report of {@link runVectors} (what `agentpmt conformance run --json` prints).
 *
 * @example
 * ```ts
 * import type { RunReport } from '@agentpmt-kit/conformance'
 *
 * declare const report: RunReport
 * report.cases.filter((item) => item.status === 'fail')
 * ```
 */
export type RunReport = {
  tool: 'agentpmt conformance run'
  protocol: number
  /** The command of the adapter under test; `[]` for an in-process adapter. */
  command: string[]
  implementation: Implementation | null
  vectors: { dir: string; digest: string; files: Record<string, number> }
  capabilities: Record<Capability, CapabilitySummary>
  /** Capabilities that `require` named and the adapter did not declare, or declared and skipped. */
  requiredMissing: Capability[]
  /** Every check of {@link runChecks}, in that order: the verdict is `fail` when one fails. */
  checks: RunCheck[]
  verdict: 'pass' | 'fail'
  /** A problem that kept the run from starting, or `null`. */
  startError: string | null
  startedAt: string
  durationMs: number
  restarts: number
  cases: CaseResult[]
}

/**
 * An adapter that runs in this process: it answers each message of the JSON-lines protocol
 * (`start`, `case`, `stop`; see the Conformance guide) with the value it would write as a line.
 *
 * @example
 * ```ts
 * import type { InProcessAdapter } from '@agentpmt-kit/conformance'
 *
 * const refuser: InProcessAdapter = {
 *   handle: (message) =>
 *     (message as { cmd: string }).cmd === 'start'
 *       ? { ready: true, implementation: { name: 'mine', language: 'typescript', version: '1' }, capabilities: ['refuse'] }
 *       : { id: (message as { id: string }).id, output: { refused: true, error: 'Error' } },
 * }
 * ```
 */
export type InProcessAdapter = {
  handle(message: unknown): unknown
}

/**
 * Options of {@link runVectors}.
 *
 * @example
 * ```ts
 * import type { RunVectorsOptions } from '@agentpmt-kit/conformance'
 *
 * const options: RunVectorsOptions = { adapter: ['python3', 'adapter.py'], caseTimeoutMs: 5000 }
 * ```
 */
export type RunVectorsOptions = {
  /** A command that speaks the JSON-lines protocol on stdin and stdout, or an in-process adapter. */
  adapter: readonly string[] | InProcessAdapter
  /** The `vectors/` folder; the one beside this package by default. */
  vectorsDir?: string | undefined
  /** Feed only these capabilities. */
  only?: readonly Capability[] | undefined
  /**
   * Fail unless each of these capabilities is declared and has at least one case run (not
   * skipped): an adapter cannot pass a required capability by skipping it.
   */
  require?: readonly Capability[] | undefined
  /** Time allowed for each case, in milliseconds (default 5,000). */
  caseTimeoutMs?: number | undefined
  startTimeoutMs?: number | undefined
  maxRestarts?: number | undefined
  env?: Readonly<Record<string, string | undefined>> | undefined
  cwd?: string | undefined
  onResult?: ((result: CaseResult) => void) | undefined
}

const maxLineBytes = 16 * 1024 * 1024
const stderrTail = 2000

type Answer =
  | { kind: 'line'; value: unknown; text: string }
  | { kind: 'garbage'; text: string }
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout' }

/** One running implementation: the lines it wrote, and what it wrote on stderr. */
type Adapter = {
  next(timeoutMs: number): Promise<Answer>
  send(value: unknown): void
  stderr(): string
  kill(): void
}

/**
 * Runs an adapter through the vector cases of the capabilities it declares, one JSON message per
 * case; never hangs: each case has its timeout, a crashed or desynced process is restarted for the
 * next case. The verdict is `pass` only when no check fails ({@link runChecks}): no case failed or
 * errored, at least one case ran (a run where everything is skipped proves nothing), and every
 * required capability ran.
 *
 * @example
 * ```ts
 * import { runVectors } from '@agentpmt-kit/conformance'
 *
 * const report = await runVectors({ adapter: ['python3', 'my_adapter.py'], require: ['canonicalize', 'hash'] })
 * report.verdict // 'pass' or 'fail'
 * ```
 */
export async function runVectors(options: RunVectorsOptions): Promise<RunReport> {
  const suite = loadCases({ vectorsDir: options.vectorsDir, only: options.only })
  const command = Array.isArray(options.adapter) ? [...(options.adapter as readonly string[])] : []
  const caseTimeoutMs = options.caseTimeoutMs ?? 5000
  const startTimeoutMs = options.startTimeoutMs ?? 15_000
  const maxRestarts = options.maxRestarts ?? 10
  const startedAt = Date.now()
  const summary = {} as Record<Capability, CapabilitySummary>
  for (const capability of capabilities)
    summary[capability] = { declared: false, total: 0, pass: 0, fail: 0, skip: 0, error: 0 }
  const report: RunReport = {
    tool: 'agentpmt conformance run',
    protocol: protocolVersion,
    command,
    implementation: null,
    vectors: { dir: suite.vectorsDir, digest: suite.digest, files: suite.files },
    capabilities: summary,
    requiredMissing: [],
    checks: [],
    verdict: 'fail',
    startError: null,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: 0,
    restarts: 0,
    cases: [],
  }
  const record = (result: CaseResult): void => {
    report.cases.push(result)
    const counts = summary[result.capability]
    counts.total++
    counts[result.status]++
    options.onResult?.(result)
  }

  let adapter: Adapter | undefined
  let declared: Set<Capability> = new Set()
  const start = async (): Promise<string | undefined> => {
    adapter = Array.isArray(options.adapter)
      ? launch(command, options)
      : inProcess(options.adapter as InProcessAdapter)
    adapter.send({ cmd: 'start', version: protocolVersion })
    const answer = await adapter.next(startTimeoutMs)
    const problem = startProblem(answer, adapter)
    if (problem !== undefined) {
      adapter.kill()
      adapter = undefined
      return problem
    }
    const value = (answer as { value: Record<string, unknown> }).value
    report.implementation = implementationOf(value.implementation)
    declared = new Set(
      (Array.isArray(value.capabilities) ? value.capabilities : []).filter(
        (item): item is Capability => capabilities.includes(item as Capability),
      ),
    )
    const unsupported = value.unsupported
    if (typeof unsupported === 'object' && unsupported !== null)
      for (const [name, reason] of Object.entries(unsupported))
        if (capabilities.includes(name as Capability))
          summary[name as Capability].unsupported = String(reason)
    for (const capability of declared) summary[capability].declared = true
    return undefined
  }

  const firstProblem = await start()
  if (firstProblem !== undefined) {
    report.startError = firstProblem
    report.durationMs = Date.now() - startedAt
    return settled(report, options.require ?? [])
  }

  for (const item of suite.cases) {
    if (!declared.has(item.capability)) continue
    const base = {
      id: item.id,
      capability: item.capability,
      check: item.check,
      description: item.description,
      tags: item.tags,
      input: item.input,
      expected: item.expected,
    }
    if (adapter === undefined) {
      if (report.restarts >= maxRestarts) {
        record({
          ...base,
          status: 'error',
          problem: 'not-run',
          durationMs: 0,
          reason: `not run: the implementation was restarted ${maxRestarts} times`,
        })
        continue
      }
      report.restarts++
      const problem = await start()
      if (problem !== undefined) {
        record({
          ...base,
          status: 'error',
          problem: 'not-run',
          durationMs: 0,
          reason: `not run: the restart failed (${problem})`,
        })
        report.restarts = maxRestarts
        continue
      }
    }
    const running = adapter as Adapter
    const sentAt = Date.now()
    running.send({
      cmd: 'case',
      id: item.id,
      capability: item.capability,
      tags: item.tags,
      input: item.input,
    })
    const answer = await running.next(caseTimeoutMs)
    const durationMs = Date.now() - sentAt
    const broken = (problem: CaseResult['problem'], reason: string, actual?: unknown): void => {
      running.kill()
      adapter = undefined
      record({
        ...base,
        status: 'error',
        problem,
        reason,
        durationMs,
        ...(actual === undefined ? {} : { actual }),
      })
    }
    if (answer.kind === 'timeout') {
      broken(
        'timeout',
        `no answer within ${formatDuration(caseTimeoutMs)} (--timeout); the process was killed and restarted`,
      )
      continue
    }
    if (answer.kind === 'exit') {
      broken(
        'crash',
        `the process exited (${answer.signal ?? `code ${answer.code}`}) during the case${tailOf(running.stderr())}`,
      )
      continue
    }
    if (answer.kind === 'garbage') {
      broken(
        'garbage',
        'a line on stdout that is not JSON; the process was restarted',
        answer.text.slice(0, 2000),
      )
      continue
    }
    const value = answer.value as Record<string, unknown>
    if (typeof value !== 'object' || value === null || value.id !== item.id) {
      broken(
        'garbage',
        `an answer that is not for this case (expected id ${item.id}); the process was restarted`,
        answer.text.slice(0, 2000),
      )
      continue
    }
    if (typeof value.skipped === 'string' || value.skipped === true) {
      record({
        ...base,
        status: 'skip',
        durationMs,
        reason: typeof value.skipped === 'string' ? value.skipped : 'skipped',
      })
      continue
    }
    if ('error' in value && !('output' in value)) {
      record({
        ...base,
        status: 'fail',
        durationMs,
        reason: `the implementation failed: ${String(value.error)}`,
        actual: { error: value.error },
      })
      continue
    }
    const judgement = item.judge(value.output)
    record({
      ...base,
      status: judgement === undefined ? 'pass' : 'fail',
      durationMs,
      actual: value.output,
      ...(judgement === undefined ? {} : judgement),
    })
  }

  if (adapter !== undefined) {
    const last = adapter
    last.send({ cmd: 'stop' })
    const ended = await last.next(2000)
    if (ended.kind !== 'exit') last.kill()
  }
  report.durationMs = Date.now() - startedAt
  return settled(report, options.require ?? [])
}

/** The report with its required capabilities, checks and verdict filled in. */
function settled(report: RunReport, required: readonly Capability[]): RunReport {
  report.requiredMissing = required.filter((capability) => {
    const counts = report.capabilities[capability]
    return !counts.declared || counts.total === counts.skip
  })
  report.checks = runChecks.map(({ id }) => checkOf(id, report, required))
  report.verdict = report.checks.some((check) => check.status === 'fail') ? 'fail' : 'pass'
  return report
}

function checkOf(id: RunCheckId, report: RunReport, required: readonly Capability[]): RunCheck {
  const started = report.startError === null
  const count = (status: CaseResult['status']): number =>
    report.cases.filter((item) => item.status === status).length
  const verdict = (failed: boolean, detail: string): RunCheck => ({
    id,
    status: failed ? 'fail' : 'pass',
    detail,
  })
  const notApplicable = (detail: string): RunCheck => ({ id, status: 'n/a', detail })
  switch (id) {
    case 'adapter-starts':
      return verdict(!started, report.startError ?? 'answered start')
    case 'process-errors': {
      if (!started) return notApplicable('the adapter did not start')
      const errors = count('error')
      return verdict(
        errors > 0,
        errors > 0 ? `${errors} cases ended in a crash, a timeout or garbage` : 'none',
      )
    }
    case 'at-least-one-case': {
      if (!started) return notApplicable('the adapter did not start')
      const answered = report.cases.length - count('skip')
      return verdict(
        answered === 0,
        answered === 0
          ? report.cases.length === 0
            ? 'no case ran: no capability with cases was declared'
            : `all ${report.cases.length} cases were skipped`
          : `${answered} cases answered`,
      )
    }
    case 'required-not-skipped': {
      if (required.length === 0) return notApplicable('nothing required (--require)')
      if (!started) return notApplicable('the adapter did not start')
      const missing = report.requiredMissing
      return verdict(
        missing.length > 0,
        missing.length > 0
          ? `required but undeclared or skipped: ${missing.join(', ')}`
          : `${required.join(', ')} ran`,
      )
    }
    default: {
      const judged = report.cases.filter(
        (item) => item.check === id && (item.status === 'pass' || item.status === 'fail'),
      )
      if (judged.length === 0) return notApplicable('no case judged (undeclared or skipped)')
      const failed = judged.filter((item) => item.status === 'fail').length
      return verdict(
        failed > 0,
        failed > 0 ? `${failed} of ${judged.length} cases failed` : `${judged.length} cases passed`,
      )
    }
  }
}

function startProblem(answer: Answer, adapter: Adapter): string | undefined {
  if (answer.kind === 'timeout') return 'no answer to start'
  if (answer.kind === 'exit')
    return `the process exited before answering start (${answer.signal ?? `code ${answer.code}`})${tailOf(adapter.stderr())}`
  if (answer.kind === 'garbage')
    return `the answer to start is not JSON: ${answer.text.slice(0, 200)}`
  const value = answer.value as Record<string, unknown> | null
  if (typeof value !== 'object' || value === null || value.ready !== true)
    return `the answer to start must be {"ready": true, "implementation": ..., "capabilities": [...]}, got ${answer.text.slice(0, 200)}`
  return undefined
}

function implementationOf(value: unknown): Implementation {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >
  return {
    name: String(record.name ?? 'unnamed'),
    language: String(record.language ?? 'unknown'),
    version: String(record.version ?? 'unknown'),
  }
}

function tailOf(stderr: string): string {
  const text = stderr.trim()
  return text === '' ? '' : `; stderr ends: ${text.slice(-stderrTail)}`
}

/**
 * Answers in arrival order: each goes to the one `next` waiting for it, or waits for the next
 * `next`; once the adapter has `ended`, an empty queue answers that end at once.
 */
function answerQueue(): {
  push(answer: Answer): void
  next(timeoutMs: number, ended?: Answer | undefined): Promise<Answer>
} {
  const queue: Answer[] = []
  let waiting: ((answer: Answer) => void) | undefined
  return {
    push(answer) {
      const resolve = waiting
      waiting = undefined
      if (resolve === undefined) queue.push(answer)
      else resolve(answer)
    },
    next(timeoutMs, ended) {
      const queued = queue.shift()
      if (queued !== undefined) return Promise.resolve(queued)
      if (ended !== undefined) return Promise.resolve(ended)
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting = undefined
          resolve({ kind: 'timeout' })
        }, timeoutMs)
        waiting = (answer) => {
          clearTimeout(timer)
          resolve(answer)
        }
      })
    },
  }
}

/** An in-process adapter behind the same channel: each answer goes through JSON as a line would. */
function inProcess(adapter: InProcessAdapter): Adapter {
  const answers = answerQueue()
  const push = answers.push
  return {
    send(value) {
      const stop = (value as { cmd?: unknown }).cmd === 'stop'
      Promise.resolve()
        .then(() => adapter.handle(JSON.parse(JSON.stringify(value)) as unknown))
        .then(
          (answer) => {
            // After stop, an in-process adapter is done at once: it has no process to exit.
            if (stop) return push({ kind: 'exit', code: 0, signal: null })
            if (answer === undefined) return
            const text = JSON.stringify(answer)
            push({ kind: 'line', value: JSON.parse(text) as unknown, text })
          },
          (error: unknown) => push({ kind: 'garbage', text: `threw ${String(error)}` }),
        )
    },
    next: (timeoutMs) => answers.next(timeoutMs),
    stderr: () => '',
    kill() {},
  }
}

/** Starts the process; its stdout is read as lines, each handed to the one waiting `next`. */
function launch(command: readonly string[], options: RunVectorsOptions): Adapter {
  const child = startProcessGroup(command, {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: options.cwd,
    env: options.env,
  })
  const answers = answerQueue()
  const push = answers.push
  let exited: Answer | undefined
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrTail * 2)
  })
  // A closed stdin (the process died) must not throw in the harness.
  child.stdin?.on('error', () => {})
  child.on('error', (error) => {
    stderr += `\n${error.message}`
    exited = { kind: 'exit', code: null, signal: null }
    push(exited)
  })
  const lines = createInterface({
    input: child.stdout as NodeJS.ReadableStream,
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  lines.on('line', (text) => {
    if (text.trim() === '') return
    if (text.length > maxLineBytes) return push({ kind: 'garbage', text: text.slice(0, 200) })
    try {
      push({ kind: 'line', value: JSON.parse(text) as unknown, text })
    } catch {
      push({ kind: 'garbage', text })
    }
  })
  let stdoutClosed = false
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined
  const maybeExit = (): void => {
    if (stdoutClosed && exitInfo !== undefined && exited === undefined) {
      exited = { kind: 'exit', ...exitInfo }
      push(exited)
    }
  }
  lines.on('close', () => {
    stdoutClosed = true
    maybeExit()
  })
  child.on('exit', (code, signal) => {
    exitInfo = { code, signal }
    maybeExit()
  })
  return {
    send(value) {
      if (child.stdin?.writable) child.stdin.write(`${JSON.stringify(value)}\n`)
    },
    next: (timeoutMs) => answers.next(timeoutMs, exited),
    stderr: () => stderr,
    kill() {
      lines.removeAllListeners('line')
      killProcessGroup(child)
    },
  }
}
