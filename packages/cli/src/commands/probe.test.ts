import { readFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { join } from 'node:path'
import type { ProbeCheck, ProbeGuess, ProbeReport } from '@agentpmt-kit/conformance'
import { type SandboxDialect, sandboxDialects, startSandbox } from '@agentpmt-kit/sandbox'
import { Wallet } from 'ethers'
import { beforeAll, describe, expect, test } from 'vitest'
// The loopback helper of the conformance package's own tests (a test helper, never published).
import { listen } from '../../../conformance/src/test/listen.js'
import { ensureBuilt, isOneLineError, runCli, tempDir } from '../../test/harness.js'
import { exitCodes } from '../exit.js'

beforeAll(ensureBuilt, 300_000)

const dir = tempDir()

const probe = (baseUrl: string, args: readonly string[] = [], env: Record<string, string> = {}) =>
  runCli(['probe', '--base-url', baseUrl, ...args], { env, timeoutMs: 60_000 })

const failing = (report: ProbeReport): ProbeCheck[] =>
  report.checks.filter((check) => check.status === 'missing' || check.status === 'differs')

const guessesOf = (report: ProbeReport): string[] =>
  report.guesses.map((guess: ProbeGuess) => `${guess.part} ${guess.field}`)

/** What each dialect makes the client guess when nothing is reserved. */
const expectedGuesses: Record<SandboxDialect, readonly string[]> = {
  default: [],
  'python-timestamps': [],
  'nulls-and-extras': [],
  'expires-in-only': [],
  'nested-reservation': [],
  'link-objects': [],
  'agent-skill': ['session expires_in', 'list total'],
  minimal: ['session expires_in', 'list total'],
  'other-error-codes': [],
  // A 503 HTML page from the proxy before the first request of each route.
  'proxy-errors': ['session (error body)', 'list (error body)'],
  // Its clock 40 minutes behind: the skew is the probe's to report (issue 22), not a guess.
  'clock-behind': [],
  // Only the workflow endpoints differ, and nothing is reserved.
  'authorization-header': [],
}

describe.concurrent('agentpmt probe against every sandbox dialect', () => {
  for (const dialect of sandboxDialects)
    test(`${dialect}: compatible, the expected guesses, nothing reserved`, async () => {
      const sandbox = await startSandbox({ dialect, verificationDelayMs: 20 })
      try {
        const result = await probe(sandbox.url, ['--json'])
        expect(result.code, result.stderr).toBe(0)
        const report = JSON.parse(result.stdout) as ProbeReport
        expect(failing(report)).toEqual([])
        expect(guessesOf(report)).toEqual(expectedGuesses[dialect])
        expect(report.verdict).toBe(
          expectedGuesses[dialect].length === 0 ? 'compatible' : 'compatible-with-guesses',
        )
        // No key in the environment: a throwaway wallet, said so.
        expect(report.throwawayWallet).toBe(true)
        const found = report.checks.filter((check) => check.status === 'found')
        expect(found.map((check) => `${check.part} ${check.field}`)).toEqual(
          expect.arrayContaining([
            'session session_nonce',
            'list jobs[].job_id',
            'error error_code',
            'error detail',
            'error details.checklist',
            'mismatch status 401 EXTERNAL_SIGNATURE_WALLET_MISMATCH',
            'mismatch details.expected_message',
            'mismatch details.expected_payload_hash',
          ]),
        )
        expect(report.agreement.message).toEqual({ equal: true, differingLines: [] })
        expect(report.agreement.payloadHash?.matches).toBe('both')
        expect(report.clockSkew.dateHeader).not.toBeNull()
        const offsetMs = dialect === 'clock-behind' ? -40 * 60_000 : 0
        expect(Math.abs(report.clockSkew.dateHeader!.skewMs - offsetMs)).toBeLessThan(2000)
        // The client reads a deadline by the server's clock: a reservation is not given up.
        expect(report.checks.find((check) => check.id === 'reserve-deadline')?.status).toBe(
          dialect === 'minimal' ? 'not-checked' : 'found',
        )
        // Only a session that gives expires_at and expires_in both measures the skew that way.
        const bothWays = !['minimal', 'agent-skill', 'expires-in-only'].includes(dialect)
        expect(report.clockSkew.sessionExpiry !== null).toBe(bothWays)
        expect(report.reservation).toBeNull()
        const state = sandbox.state()
        expect(state.reservations).toEqual([])
        expect(state.jobs.every((job) => job.status === 'open')).toBe(true)
      } finally {
        await sandbox.close()
      }
    })
})

describe.concurrent('agentpmt probe', () => {
  test('text report: every part, the verdict last', async () => {
    const sandbox = await startSandbox({ dialect: 'minimal' })
    try {
      const result = await probe(sandbox.url)
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toMatch(/throwaway key \(no key was given/)
      expect(result.stdout).toMatch(/^ {2}ok +session +session_nonce/m)
      expect(result.stdout).toMatch(/^ {2}n\/a +mismatch +details\.accepted_path_candidates/m)
      expect(result.stdout).toMatch(/session +expires_in: no readable expiry/)
      expect(result.stdout).toMatch(/Date header: /)
      expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('Verdict: compatible with guesses')
    } finally {
      await sandbox.close()
    }
  })

  test('--reserve: reserves exactly that job, reports its fields and reads its status', async () => {
    const sandbox = await startSandbox({ verificationDelayMs: 20 })
    const key = Wallet.createRandom()
    try {
      const result = await probe(sandbox.url, ['--json', '--reserve', 'job_share_linkedin'], {
        AGENTPMT_PRIVATE_KEY: key.privateKey,
      })
      expect(result.code, result.stderr).toBe(0)
      const report = JSON.parse(result.stdout) as ProbeReport
      expect(report.verdict).toBe('compatible')
      expect(report.throwawayWallet).toBe(false)
      expect(report.wallet).toBe(key.address.toLowerCase())
      const reserveChecks = report.checks.filter((check) => check.part === 'reserve')
      expect(reserveChecks.map((check) => [check.field, check.status])).toEqual([
        ['reservation_id', 'found'],
        ['instructions', 'found'],
        ['job.social_share.tracking_links[0]', 'found'],
        ['expiry', 'found'],
      ])
      expect(report.checks.find((check) => check.part === 'status')).toMatchObject({
        field: 'submission.verification.status',
        status: 'not-applicable',
      })
      const [reservation, ...others] = sandbox.state().reservations
      expect(others).toEqual([])
      expect(reservation).toMatchObject({ jobId: 'job_share_linkedin', wallet: report.wallet })
      expect(report.reservation).toMatchObject({
        jobId: 'job_share_linkedin',
        reservationId: reservation!.reservationId,
        jobKind: 'social_share',
        trackedUrl: reservation!.trackedUrl,
        hasWorkflowToken: false,
      })
      expect(report.exchanges.map((exchange) => exchange.step)).toEqual([
        'session',
        'list',
        'mismatch',
        'reserve',
        'status',
      ])
    } finally {
      await sandbox.close()
    }
  })

  test('--reserve on expires-in-only: the deadline is a guess from expires_in', async () => {
    const sandbox = await startSandbox({ dialect: 'expires-in-only' })
    try {
      const result = await probe(sandbox.url, ['--json', '--reserve', 'job_share_x'])
      expect(result.code, result.stderr).toBe(0)
      const report = JSON.parse(result.stdout) as ProbeReport
      expect(report.verdict).toBe('compatible-with-guesses')
      expect(report.guesses).toEqual([
        {
          part: 'reserve',
          field: 'expires_at',
          guess: 'expires_in seconds from the time of the request',
        },
      ])
      expect(sandbox.state().reservations).toHaveLength(1)
    } finally {
      await sandbox.close()
    }
  })

  test('--reserve on minimal: no expiry in the reserve answer, the client guesses (as the loop does)', async () => {
    const sandbox = await startSandbox({ dialect: 'minimal' })
    try {
      const result = await probe(sandbox.url, ['--json', '--reserve', 'job_workflow_ticket_triage'])
      expect(result.code, result.stderr).toBe(0)
      const report = JSON.parse(result.stdout) as ProbeReport
      expect(report.verdict).toBe('compatible-with-guesses')
      expect(failing(report)).toEqual([])
      expect(report.checks.find((check) => check.id === 'reserve-deadline')).toMatchObject({
        status: 'guessed',
        detail: expect.stringMatching(/default deadline, 600 s/),
      })
      expect(report.checks).toContainEqual(
        expect.objectContaining({ field: 'workflow_access.access_token', status: 'found' }),
      )
    } finally {
      await sandbox.close()
    }
  })

  test('--save: every exchange, without signatures, full nonces, tokens or the key', async () => {
    const sandbox = await startSandbox({ verificationDelayMs: 20 })
    const seen = { nonces: new Set<string>(), requests: 0 }
    // A recording proxy in front of the sandbox: the test learns every nonce the probe received.
    const proxy = await listen(
      createHttpServer(async (request, response) => {
        const chunks: Buffer[] = []
        for await (const chunk of request) chunks.push(chunk as Buffer)
        const answer = await fetch(`${sandbox.url}${request.url}`, {
          method: request.method ?? 'POST',
          headers: { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        })
        const text = await answer.text()
        seen.requests++
        const nonce = /"session_nonce":"([^"]+)"/.exec(text)?.[1]
        if (nonce !== undefined) seen.nonces.add(nonce)
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(text)
      }),
    )
    const key = Wallet.createRandom().privateKey
    const file = join(dir, 'transcript.json')
    try {
      const result = await probe(
        proxy.url,
        ['--reserve', 'job_workflow_ticket_triage', '--save', file],
        { AGENTPMT_PRIVATE_KEY: key },
      )
      expect(result.code, result.stderr).toBe(0)
      const text = readFileSync(file, 'utf8')
      const transcript = JSON.parse(text)
      expect(transcript.exchanges).toHaveLength(seen.requests)
      // A workflow job: the probe learns which header takes the token by publishing a workflow
      // that does not exist (nothing changes on the server).
      expect(transcript.exchanges.map((exchange: { step: string }) => exchange.step)).toEqual([
        'session',
        'list',
        'mismatch',
        'reserve',
        'workflow',
        'status',
      ])
      const [session, list] = transcript.exchanges
      expect(session.response.status).toBe(200)
      expect(session.response.headers).toHaveProperty('date')
      expect(session.response.body.session_nonce).toMatch(/^.{6}…$/)
      expect(list.request.body.signature).toBe('<signature>')
      expect(list.request.body.session_nonce).toMatch(/^.{6}…$/)
      expect(seen.nonces.size).toBe(1)
      for (const nonce of seen.nonces) expect(text).not.toContain(nonce)
      const token = sandbox.state().reservations[0]?.workflowToken
      expect(token).toBeTruthy()
      expect(text).not.toContain(token)
      expect(text).not.toMatch(/0x[0-9a-f]{130}/i)
      expect(text.toLowerCase()).not.toContain(key.slice(2).toLowerCase())
    } finally {
      await proxy.close()
      await sandbox.close()
    }
  })

  test('a server without session_nonce is incompatible, exit 1', async () => {
    const server = await listen(
      createHttpServer((_request, response) => {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ nonce: 'abc', expires_in: 900 }))
      }),
    )
    try {
      const json = await probe(server.url, ['--json'])
      expect(json.code).toBe(1)
      expect(json.stderr).toBe('')
      const report = JSON.parse(json.stdout) as ProbeReport
      expect(report.verdict).toBe('incompatible')
      expect(failing(report)).toMatchObject([{ part: 'session', field: 'session_nonce' }])
      expect(report.stopped).toMatch(/no signed request/)
      const text = await probe(server.url)
      expect(text.code).toBe(1)
      expect(text.stdout).toMatch(/MISSING +session +session_nonce/)
      expect(text.stdout).toMatch(/Verdict: incompatible/)
    } finally {
      await server.close()
    }
  })

  test('a server that accepts any signature is incompatible', async () => {
    const server = await listen(
      createHttpServer((request, response) => {
        const body =
          request.url === '/api/external/auth/session'
            ? { session_nonce: 'nonce_1234567890', expires_in: 900 }
            : { jobs: [], total: 0 }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      }),
    )
    try {
      const result = await probe(server.url, ['--json'])
      expect(result.code).toBe(1)
      const report = JSON.parse(result.stdout) as ProbeReport
      expect(failing(report)).toMatchObject([
        {
          part: 'mismatch',
          detail: expect.stringMatching(/accepted a request signed by another key/),
        },
      ])
    } finally {
      await server.close()
    }
  })

  test('no HTTP answer: a refused connection, a non-HTTP server, a timeout: one line, exit 7 (network)', async () => {
    const closed = await listen(createTcpServer())
    await closed.close()
    const notHttp = await listen(createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n')))
    const silent = await listen(createTcpServer(() => {}))
    try {
      const refused = await probe(closed.url)
      expect(refused.code).toBe(exitCodes.network)
      expect(isOneLineError(refused.stderr)).toBe(true)
      expect(refused.stderr).toMatch(/No HTTP answer from .*\(session\).*ECONNREFUSED/)
      const garbled = await probe(notHttp.url)
      expect(garbled.code).toBe(exitCodes.network)
      expect(isOneLineError(garbled.stderr)).toBe(true)
      expect(garbled.stderr).toMatch(/No HTTP answer from .*\(session\)/)
      const slow = await probe(silent.url, ['--timeout', '300ms'])
      expect(slow.code).toBe(exitCodes.network)
      expect(isOneLineError(slow.stderr)).toBe(true)
      expect(slow.stderr).toMatch(/No HTTP answer from .*\(session\).*timed out after 300 ms/)
      for (const result of [refused, garbled, slow]) expect(result.stdout).toBe('')
    } finally {
      await notHttp.close()
      await silent.close()
    }
  })

  test('bad options: one-line errors before any request', async () => {
    for (const args of [
      ['--timeout', 'soon'],
      ['--reserve', '..'],
      ['--base-url', 'ftp://example.com'],
      ['--save', dir],
    ]) {
      const result = await runCli(['probe', '--base-url', 'http://127.0.0.1:9', ...args])
      expect(result.code, args.join(' ')).toBe(2)
      expect(isOneLineError(result.stderr), result.stderr).toBe(true)
      expect(result.stderr).not.toMatch(/No HTTP answer/)
    }
  })
})
