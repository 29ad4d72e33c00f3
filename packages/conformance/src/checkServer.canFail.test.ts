/**
 * Every check of the server check can fail, and none fails an honest server: each flaw below
 * (a proxy in front of the sandbox, switched on by name) fails exactly the checks listed for it;
 * every sandbox dialect and every honest variation the guides allow (a jobs-only server, a clock
 * 40 minutes off, an expiry without an offset read outside UTC) passes everything.
 */
import { sandboxDialects, startSandbox } from '@agentpmt-kit/sandbox'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  type CheckServerOptions,
  checkServer,
  type ServerCheckId,
  type ServerReport,
  serverCheckGroups,
} from './checkServer.js'
import { type HonestVariation, type ServerFlaw, startFlawedServer } from './test/flawedServer.js'

// Outside UTC, ahead of it: an offset-less timestamp read as local time would look expired.
process.env.TZ = 'Asia/Tokyo'

// Long enough that no step of a check outlives a session on a loaded machine.
const sessionTtlMs = 10_000
const everything = {
  include: ['jobs', 'credits', 'tools'],
  tool: { product: 'echo', action: 'echo' },
  waitSessionExpiryMs: 15_000,
} satisfies Omit<CheckServerOptions, 'baseUrl'>

/** The checks each flaw must fail, and no other. */
const failsOf: { [flaw in ServerFlaw]?: readonly ServerCheckId[] } = {
  'no-session-nonce': ['session'],
  'refuses-valid-list': ['valid-list'],
  'replay-accepted': ['replay'],
  'replay-wrong-code': ['replay'],
  'accepts-wrong-wallet': ['wrong-wallet'],
  'no-expected-payload-hash': ['wrong-wallet-details'],
  'hash-wrong-form': ['wrong-wallet-details'],
  'malformed-as-mismatch': ['malformed-signature'],
  'unknown-session-as-expired': ['unknown-session'],
  'no-error-body-fields': ['error-body'],
  'keeps-sessions-longer': ['expired-session'],
  'balance-wants-payload-hash': ['balance-empty-payload-line'],
  'tool-raw-form-only': ['tool-ascii-form'],
  'tool-ascii-form-only': ['tool-raw-form'],
  'tool-refuses-api-prefix': ['tool-path-api-prefix'],
  'tool-refuses-trailing-slash': ['tool-path-trailing-slash'],
  'tool-case-sensitive-slugs': ['tool-path-slug-case'],
}

const honestVariations: Record<string, HonestVariation> = {
  'jobs only (no balance, no tools)': { jobsOnly: true },
  'clock 40 minutes behind': { clockOffsetMs: -40 * 60_000 },
  'clock 40 minutes ahead': { clockOffsetMs: 40 * 60_000 },
  'naive expires_at, clock 2 days behind': {
    naiveSessionExpiry: true,
    clockOffsetMs: -2 * 86_400_000,
  },
}

const failed = (report: ServerReport): string[] =>
  report.checks.filter((check) => check.status === 'fail').map((check) => check.id)

async function checkFlawed(
  flaw: ServerFlaw | undefined,
  variation: HonestVariation,
  options: Parameters<typeof startFlawedServer>[2] = {},
): Promise<ServerReport> {
  const server = await startFlawedServer(flaw, variation, {
    sessionTtlMs,
    maxQueueMs: Number.POSITIVE_INFINITY,
    ...options,
  })
  try {
    return await checkServer({ baseUrl: server.url, ...everything })
  } finally {
    await server.close()
  }
}

/** Every server of this file, checked at once (the checks mostly wait): a report each. */
const reports = new Map<string, ServerReport>()
const flawName = (flaw: string) => `flaw ${flaw}`
const dialectName = (dialect: string) => `dialect ${dialect}`

beforeAll(async () => {
  const runs: Array<[string, Promise<ServerReport>]> = [
    ...Object.keys(failsOf).map(
      (flaw) =>
        [
          flawName(flaw),
          // A lifetime long enough that the told one (an eighth) and the kept one stay apart under load.
          checkFlawed(
            flaw as ServerFlaw,
            {},
            flaw === 'keeps-sessions-longer' ? { sessionTtlMs: 40_000 } : {},
          ),
        ] as [string, Promise<ServerReport>],
    ),
    ...sandboxDialects.map(
      (dialect) =>
        [dialectName(dialect), checkFlawed(undefined, {}, { dialect })] as [
          string,
          Promise<ServerReport>,
        ],
    ),
    ...Object.entries(honestVariations).map(
      ([name, variation]) =>
        [name, checkFlawed(undefined, variation)] as [string, Promise<ServerReport>],
    ),
  ]
  const done = await Promise.all(runs.map(async ([name, report]) => [name, await report] as const))
  for (const [name, report] of done) reports.set(name, report)
}, 300_000)

const reportOf = (name: string): ServerReport => {
  const report = reports.get(name)
  if (report === undefined) throw new Error(`no report for ${name}`)
  return report
}

test('the time zone is not UTC here', () => {
  expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(-540)
})

describe('each flaw fails exactly its checks', () => {
  for (const [flaw, checks] of Object.entries(failsOf))
    test(flaw, () => {
      const report = reportOf(flawName(flaw))
      expect(
        failed(report),
        JSON.stringify(report.checks.filter((c) => c.status === 'fail')),
      ).toEqual(checks)
      expect(report.verdict).toBe('fail')
    })
})

test('every check of every group has a flaw that fails it', () => {
  const covered = new Set(Object.values(failsOf).flat())
  const all = Object.values(serverCheckGroups).flat()
  expect(all.filter((id) => !covered.has(id))).toEqual([])
})

describe('honest servers pass everything', () => {
  for (const dialect of sandboxDialects)
    test(`dialect ${dialect}`, () => {
      const report = reportOf(dialectName(dialect))
      expect(failed(report)).toEqual([])
      // Only the minimal dialect gives no session expiry: the check cannot know when to try.
      expect(
        report.checks.filter((check) => check.status !== 'pass').map((check) => check.id),
      ).toEqual(dialect === 'minimal' ? ['expired-session'] : [])
      expect(report.verdict).toBe('pass')
    })
  for (const [name, variation] of Object.entries(honestVariations))
    test(name, () => {
      const report = reportOf(name)
      expect(failed(report)).toEqual([])
      expect(report.checks.find((check) => check.id === 'expired-session')?.status).toBe('pass')
      if (variation.jobsOnly)
        expect(
          report.checks.filter((check) => check.status === 'not-offered').map((check) => check.id),
        ).toEqual([...serverCheckGroups.credits, ...serverCheckGroups.tools])
      if (variation.clockOffsetMs !== undefined)
        expect(Math.abs(report.time.serverClock!.skewMs - variation.clockOffsetMs)).toBeLessThan(
          2000,
        )
    })
})

describe.concurrent('the default and the sandbox alone', () => {
  test('by default only the jobs guides are checked: a jobs-only server passes', async () => {
    const server = await startFlawedServer(undefined, { jobsOnly: true })
    try {
      const report = await checkServer({ baseUrl: server.url })
      expect(report.groups).toEqual(['jobs'])
      expect(report.checks.map((check) => check.id)).toEqual(serverCheckGroups.jobs)
      expect(report.verdict).toBe('pass')
    } finally {
      await server.close()
    }
  })

  test('the sandbox itself, unproxied, passes every group', async () => {
    const sandbox = await startSandbox({ sessionTtlMs, maxQueueMs: Number.POSITIVE_INFINITY })
    try {
      const report = await checkServer({ baseUrl: sandbox.url, ...everything })
      expect(failed(report)).toEqual([])
      expect(report.time.sessionLifetimeSource).toMatch(/^expires_in/)
    } finally {
      await sandbox.close()
    }
  })
})
