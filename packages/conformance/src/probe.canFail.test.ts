/**
 * Every check of the probe can fail, and none fails an honest server: each flaw (a proxy in
 * front of the sandbox, switched on by name) makes exactly the checks listed for it missing or
 * differing; every sandbox dialect and every honest variation (a clock minutes or days off, an
 * expiry without an offset read outside UTC) leaves none missing, with and without a reservation.
 */
import { sandboxDialects, startSandbox } from '@agentpmt-kit/sandbox'
import { beforeAll, describe, expect, test } from 'vitest'
import { probe } from './probe.js'
import { probeTranscript } from './probeTranscript.js'
import {
  type ProbeCheckId,
  type ProbeExchange,
  type ProbeReport,
  probeCheckIds,
} from './probeTypes.js'
import { describeProbeReport } from './report/probe.js'
import { type HonestVariation, type ServerFlaw, startFlawedServer } from './test/flawedServer.js'

// Outside UTC, ahead of it: an offset-less timestamp read as local time would be hours early.
process.env.TZ = 'Asia/Tokyo'

const reserveJob = 'job_share_x'
const workflowJob = 'job_workflow_ticket_triage'
/** Dialects whose sessions give `expires_at` and `expires_in`, `expires_at` only, `expires_in` only, none. */
const withoutReserve = ['default', 'agent-skill', 'expires-in-only', 'minimal'] as const

/** The checks each flaw must fail (missing or differs), and no other. */
const failsOf: { [flaw in ServerFlaw]?: readonly ProbeCheckId[] } = {
  'no-session-nonce': ['session-nonce'],
  'refuses-valid-list': ['list-jobs'],
  'list-without-job-ids': ['list-jobs'],
  'error-without-code': ['error-code', 'mismatch-status'],
  'no-error-body-fields': ['error-detail', 'error-checklist'],
  'accepts-wrong-wallet': ['mismatch-status'],
  'no-expected-message': ['mismatch-expected-message'],
  'expected-message-differs': ['mismatch-message-agrees'],
  'no-expected-payload-hash': ['mismatch-payload-hash'],
  'hash-wrong-form': ['mismatch-hash-agrees'],
  'reserve-without-reservation-id': ['reserve-readable'],
  'reserve-without-instructions': ['reserve-instructions'],
  'reserve-without-link-or-token': ['reserve-link-or-token'],
  'status-refused': ['status-verification'],
}

/** Reports only, never fails: the candidates concern tool invokes, not job endpoints. */
const reportOnly: readonly ProbeCheckId[] = ['mismatch-path-candidates']

const honestVariations: Record<string, HonestVariation> = {
  'clock 40 minutes behind': { clockOffsetMs: -40 * 60_000 },
  'clock 40 minutes ahead': { clockOffsetMs: 40 * 60_000 },
  'clock 2 days behind, naive expires_at': {
    clockOffsetMs: -2 * 86_400_000,
    naiveSessionExpiry: true,
  },
  'clock 2 days ahead': { clockOffsetMs: 2 * 86_400_000 },
}

const failing = (report: ProbeReport): string[] =>
  report.checks
    .filter((check) => check.status === 'missing' || check.status === 'differs')
    .map((check) => check.id)

async function probeOf(
  flaw: ServerFlaw | undefined,
  variation: HonestVariation,
  options: Parameters<typeof startFlawedServer>[2] & { reserve?: boolean } = {},
): Promise<ProbeReport> {
  const { reserve = true, ...sandbox } = options
  const server = await startFlawedServer(flaw, variation, {
    maxQueueMs: Number.POSITIVE_INFINITY,
    ...sandbox,
  })
  try {
    return await probe({ baseUrl: server.url, reserve: reserve ? reserveJob : undefined })
  } finally {
    await server.close()
  }
}

/** Every exchange of the workflow-token runs, by dialect. */
const workflowExchanges = new Map<string, ProbeExchange[]>()

/** Every server of this file, probed at once (the probes mostly wait): a report each. */
const reports = new Map<string, ProbeReport>()
const reportOf = (name: string): ProbeReport => {
  const report = reports.get(name)
  if (report === undefined) throw new Error(`no report for ${name}`)
  return report
}

beforeAll(async () => {
  const runs: Record<string, Promise<ProbeReport>> = {
    // A reservation shorter than the client's safety margin (60 s): the loop gives it up at once.
    'flaw reservation-shorter-than-margin': probeOf(undefined, {}, { reservationTtlMs: 30_000 }),
  }
  for (const flaw of Object.keys(failsOf)) runs[`flaw ${flaw}`] = probeOf(flaw as ServerFlaw, {})
  // Every dialect with a reservation (the deadline read from the real answer); without one,
  // the simulated reservation takes the session's form: a dialect of each form suffices.
  for (const dialect of sandboxDialects)
    runs[`dialect ${dialect} reserve`] = probeOf(undefined, {}, { dialect })
  for (const dialect of withoutReserve)
    runs[`dialect ${dialect}`] = probeOf(undefined, {}, { dialect, reserve: false })
  // The sandbox itself: the flawed servers' proxy does not forward a workflow token's header.
  for (const dialect of ['default', 'authorization-header'] as const)
    runs[`workflow token ${dialect}`] = (async () => {
      const sandbox = await startSandbox({ dialect, maxQueueMs: Number.POSITIVE_INFINITY })
      try {
        const exchanges: ProbeExchange[] = []
        workflowExchanges.set(dialect, exchanges)
        return await probe({
          baseUrl: sandbox.url,
          reserve: workflowJob,
          onExchange: (exchange) => exchanges.push(exchange),
        })
      } finally {
        await sandbox.close()
      }
    })()
  for (const [name, variation] of Object.entries(honestVariations)) {
    runs[`${name} reserve`] = probeOf(undefined, variation)
    runs[name] = probeOf(undefined, variation, { reserve: false })
  }
  const done = await Promise.all(
    Object.entries(runs).map(async ([name, report]) => [name, await report] as const),
  )
  for (const [name, report] of done) reports.set(name, report)
}, 300_000)

test('the time zone is not UTC here', () => {
  expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(-540)
})

describe('each flaw fails exactly its checks', () => {
  for (const [flaw, checks] of Object.entries(failsOf))
    test(flaw, () => {
      const report = reportOf(`flaw ${flaw}`)
      expect(failing(report), JSON.stringify(report.checks)).toEqual(checks)
      expect(report.verdict).toBe('incompatible')
    })
  test('reservation-shorter-than-margin', () => {
    const report = reportOf('flaw reservation-shorter-than-margin')
    expect(failing(report)).toEqual(['reserve-deadline'])
    expect(report.checks.find((check) => check.id === 'reserve-deadline')?.detail).toMatch(
      /give the reservation up at once/,
    )
  })
})

test('every check has a flaw that fails it, but the one that only reports', () => {
  const covered = new Set<ProbeCheckId>([...Object.values(failsOf).flat(), 'reserve-deadline'])
  expect(probeCheckIds.filter((id) => !covered.has(id))).toEqual(reportOnly)
  const everyStatus = [...reports.values()].flatMap((report) =>
    report.checks.filter((check) => reportOnly.includes(check.id)).map((check) => check.status),
  )
  expect(new Set(everyStatus)).toEqual(new Set(['not-applicable']))
})

describe('honest servers: nothing missing, the deadline read right', () => {
  const names = [
    ...sandboxDialects.map((dialect) => `dialect ${dialect} reserve`),
    ...withoutReserve.map((dialect) => `dialect ${dialect}`),
    ...Object.keys(honestVariations).flatMap((name) => [name, `${name} reserve`]),
  ]
  for (const name of names)
    test(name, () => {
      const report = reportOf(name)
      expect(failing(report), JSON.stringify(report.checks)).toEqual([])
      expect(report.verdict).not.toBe('incompatible')
      const deadline = report.checks.find((check) => check.id === 'reserve-deadline')
      expect(deadline?.status).toMatch(/^(found|guessed|not-checked)$/)
    })
  for (const [name, variation] of Object.entries(honestVariations))
    test(`${name}: the offset is reported`, () => {
      const skew = reportOf(name).clockSkew.dateHeader
      expect(Math.abs(skew!.skewMs - variation.clockOffsetMs!)).toBeLessThan(2000)
    })
})

describe('the workflow token header, learned as the client learns it, reported as a guess', () => {
  const workflowAnswers = (report: ProbeReport) =>
    report.exchanges.filter((exchange) => exchange.step === 'workflow').map((e) => e.status)
  const headerGuesses = (report: ProbeReport) =>
    report.guesses.filter((guess) => guess.field === 'workflow token header')

  test("the guides' header taken: X-Job-Workflow-Token, not a guess of the client's", () => {
    const report = reportOf('workflow token default')
    expect(report.reservation?.workflowToken).toEqual({
      header: 'X-Job-Workflow-Token',
      guess: expect.stringMatching(/answered 404 to X-Job-Workflow-Token for a publish/),
    })
    // A publish of a workflow that does not exist: refused as unknown, nothing published.
    expect(workflowAnswers(report)).toEqual([404])
    expect(headerGuesses(report)).toEqual([])
    expect(describeProbeReport(report)).toMatch(
      /\nWorkflow token header: X-Job-Workflow-Token \(a guess: the server answered 404/,
    )
    expect(report.verdict).toBe('compatible')
  })

  test('Authorization only: the client falls back, and the probe lists it with the guesses', () => {
    const report = reportOf('workflow token authorization-header')
    expect(workflowAnswers(report)).toEqual([401, 404])
    expect(report.reservation?.workflowToken?.header).toBe('Authorization')
    expect(headerGuesses(report)).toEqual([
      {
        part: 'workflow',
        field: 'workflow token header',
        guess: expect.stringMatching(
          /^Authorization: Bearer <token> \(the server answered 401 to X-Job-Workflow-Token, 404 to Authorization/,
        ),
      },
    ])
    expect(describeProbeReport(report)).toMatch(
      /\nWorkflow token header: Authorization \(a guess: /,
    )
    expect(report.verdict).toBe('compatible-with-guesses')
  })

  test('the transcript names the header each publish went in, never the token', () => {
    const exchanges = workflowExchanges.get('authorization-header') ?? []
    const token = (
      exchanges.find((exchange) => exchange.step === 'reserve')?.json as {
        workflow_access?: { access_token?: string }
      }
    )?.workflow_access?.access_token
    expect(token).toEqual(expect.any(String))
    const text = probeTranscript(exchanges, { baseUrl: 'http://sandbox' })
    expect(text).not.toContain(token)
    const sent = (
      JSON.parse(text) as {
        exchanges: Array<{ step: string; request: { headers: Record<string, string> } }>
      }
    ).exchanges.filter((exchange) => exchange.step === 'workflow')
    expect(sent.map((exchange) => exchange.request.headers)).toEqual([
      { 'content-type': 'application/json', 'X-Job-Workflow-Token': 'Bearer <workflow token>' },
      { 'content-type': 'application/json', Authorization: 'Bearer <workflow token>' },
    ])
  })

  test('no workflow token, no workflow request', () => {
    const report = reportOf('dialect authorization-header reserve')
    expect(report.reservation?.workflowToken).toBeNull()
    expect(workflowAnswers(report)).toEqual([])
  })
})
