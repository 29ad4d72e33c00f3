import type { ServerReport } from '@agentpmt-kit/conformance'
import { sandboxDialects, startSandbox } from '@agentpmt-kit/sandbox'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, runCli } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

describe('agentpmt conformance server', () => {
  test('the sandbox passes every check in every dialect', async () => {
    const reports = await Promise.all(
      sandboxDialects.map(async (dialect) => {
        const sandbox = await startSandbox({ port: 0, dialect, sessionTtlMs: 20_000 })
        try {
          const result = await runCli(
            [
              'conformance',
              'server',
              '--json',
              '--base-url',
              sandbox.url,
              '--tool',
              'echo/echo',
              '--wait-session-expiry',
              '25s',
            ],
            { timeoutMs: 120_000 },
          )
          const report = JSON.parse(result.stdout) as ServerReport
          return { dialect, code: result.code, report }
        } finally {
          await sandbox.close()
        }
      }),
    )
    for (const { dialect, code, report } of reports) {
      // The minimal dialect gives no session expiry: the checker cannot know how long to wait.
      expect(
        report.checks
          .filter((check) => check.status !== 'pass')
          .map((check) => `${check.id} ${check.status}`),
        dialect,
      ).toEqual(dialect === 'minimal' ? ['expired-session skip'] : [])
      expect(report.checks, dialect).toHaveLength(14)
      expect(code, dialect).toBe(0)
    }
  }, 180_000)

  test('safe by default: no tool invoke, no waiting for an expiry', async () => {
    const sandbox = await startSandbox({ port: 0 })
    try {
      const result = await runCli(['conformance', 'server', '--json', '--base-url', sandbox.url])
      const report = JSON.parse(result.stdout) as ServerReport
      expect(
        report.checks.filter((check) => check.status === 'skip').map((check) => check.id),
      ).toEqual([
        'tool-ascii-form',
        'tool-raw-form',
        'tool-path-api-prefix',
        'tool-path-trailing-slash',
        'tool-path-slug-case',
        'expired-session',
      ])
      expect(result.code).toBe(0)
    } finally {
      await sandbox.close()
    }
  }, 60_000)
})
