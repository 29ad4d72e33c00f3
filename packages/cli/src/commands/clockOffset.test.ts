import { once } from 'node:events'
import { join } from 'node:path'
import { parseHttpDate } from '@agentpmt-kit/message-builder'
import { Wallet } from 'ethers'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, runCli, startCli, tempDir } from '../../test/harness.js'
import { parseOffset } from '../parse.js'

beforeAll(ensureBuilt, 300_000)

const minute = 60_000
const day = 86_400_000

test('--clock-offset reads a duration with a sign', () => {
  expect(parseOffset('-40m')).toBe(-40 * minute)
  expect(parseOffset('+2d')).toBe(2 * day)
  expect(parseOffset('90')).toBe(90_000)
  expect(parseOffset('-0')).toBe(0)
  for (const value of ['', '-', '40 minutes', '--40m', '+-1h'])
    expect(() => parseOffset(value), value).toThrow('such as -40m or +2d')
})

describe('agentpmt sandbox --clock-offset, and agentpmt jobs run against it', () => {
  test('2 days behind: its Date header says so, and jobs run still ends verified', async () => {
    const child = startCli(['sandbox', '--port', '0', '--clock-offset', '-2d', '--quiet', '--json'])
    try {
      let stdout = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk
      })
      while (!stdout.trimEnd().endsWith('}')) await once(child.stdout, 'data')
      const { url } = JSON.parse(stdout) as { url: string }
      const response = await fetch(`${url}/api/external/auth/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ wallet_address: Wallet.createRandom().address }),
      })
      const date = parseHttpDate(response.headers.get('date')) ?? Number.NaN
      expect(Math.abs(date - (Date.now() - 2 * day))).toBeLessThan(5_000)

      const dir = tempDir()
      const run = await runCli(
        [
          'jobs',
          'run',
          'job_share_linkedin',
          '--post-url',
          'https://www.linkedin.com/feed/update/urn:li:activity:1',
          '--base-url',
          url,
          '--json',
        ],
        {
          env: {
            AGENTPMT_PRIVATE_KEY: Wallet.createRandom().privateKey,
            AGENTPMT_STATE_DIR: join(dir, 'state'),
            XDG_STATE_HOME: join(dir, 'xdg'),
          },
          timeoutMs: 90_000,
        },
      )
      expect(run.code, run.stderr).toBe(0)
      expect(JSON.parse(run.stdout).outcome).toBe('verified')
    } finally {
      child.kill('SIGINT')
      await once(child, 'close')
    }
  })
})
