import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ServerReport } from '@agentpmt-kit/conformance'
import { startSandbox } from '@agentpmt-kit/sandbox'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, isOneLineError, runCli } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

// The checks themselves (every flaw, every dialect, clocks off, jobs-only servers) are tested in
// @agentpmt-kit/conformance (checkServer.canFail.test.ts); here, the command's options and exits.
describe.concurrent('agentpmt conformance server', () => {
  test('by default the jobs guides only: no balance, no tool invoke, no waiting for an expiry', async () => {
    const sandbox = await startSandbox({ port: 0 })
    try {
      const result = await runCli(['conformance', 'server', '--json', '--base-url', sandbox.url])
      expect(result.code, result.stderr).toBe(0)
      const report = JSON.parse(result.stdout) as ServerReport
      expect(report.groups).toEqual(['jobs'])
      expect(report.checks.map((check) => `${check.id} ${check.status}`)).toEqual([
        'session pass',
        'valid-list pass',
        'replay pass',
        'wrong-wallet pass',
        'wrong-wallet-details pass',
        'malformed-signature pass',
        'unknown-session pass',
        'expired-session skip',
        'error-body pass',
      ])
    } finally {
      await sandbox.close()
    }
  }, 60_000)

  test('--include credits --tool: every group, the expired session waited for', async () => {
    const sandbox = await startSandbox({ port: 0, sessionTtlMs: 3000 })
    try {
      const result = await runCli(
        [
          'conformance',
          'server',
          '--base-url',
          sandbox.url,
          '--include',
          'credits',
          '--tool',
          'echo/echo',
          '--wait-session-expiry',
          '10s',
        ],
        { timeoutMs: 60_000 },
      )
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toMatch(/^Groups: jobs, credits, tools/m)
      expect(result.stdout).toMatch(/^ {2}ok +expired-session/m)
      expect(result.stdout).toMatch(/^ {2}ok +balance-empty-payload-line/m)
      expect(result.stdout).toMatch(/^ {2}session: lasts 3 s \(expires_in 3\)/m)
      expect(result.stdout).toMatch(/Verdict: PASS \(15 passed, 0 failed, 0 skipped\)/)
    } finally {
      await sandbox.close()
    }
  }, 90_000)

  test('a server that accepts any signature fails, exit 1', async () => {
    const server = createServer((request, response) => {
      const body =
        request.url === '/api/external/auth/session'
          ? { session_nonce: 'nonce_1234567890', expires_in: 900 }
          : { jobs: [], total: 0 }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const result = await runCli(['conformance', 'server', '--json', '--base-url', url])
      expect(result.code).toBe(1)
      const report = JSON.parse(result.stdout) as ServerReport
      expect(report.verdict).toBe('fail')
      expect(
        report.checks.filter((check) => check.status === 'fail').map((check) => check.id),
      ).toEqual(['replay', 'wrong-wallet', 'malformed-signature', 'unknown-session'])
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }, 60_000)

  test('--include with an unknown group: a one-line error before any request', async () => {
    const result = await runCli([
      'conformance',
      'server',
      '--base-url',
      'http://127.0.0.1:9',
      '--include',
      'credits,billing',
    ])
    expect(result.code).toBe(2)
    expect(isOneLineError(result.stderr), result.stderr).toBe(true)
    expect(result.stderr).toMatch(/--include.*credits, tools/)
  })
})
