import { once } from 'node:events'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, isOneLineError, runCli, startCli } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

describe('agentpmt sandbox', () => {
  test('serves on the port the system picks, prints URL and test wallets, stops on SIGINT', async () => {
    const child = startCli(['sandbox', '--port', '0', '--session-ttl', '30s', '--json'])
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    while (!stdout.trimEnd().endsWith('}')) await once(child.stdout, 'data')
    const { url, testWallets } = JSON.parse(stdout)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(testWallets).toHaveLength(3)
    const response = await fetch(`${url}/api/external/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ wallet_address: testWallets[0].address }),
    })
    expect(response.status).toBe(200)
    const session = (await response.json()) as { expires_in: number }
    expect(session.expires_in).toBe(30)
    child.kill('SIGINT')
    const [code] = await once(child, 'close')
    expect(code).toBe(0)
  })

  test('bad flags are one-line errors', async () => {
    for (const args of [
      ['sandbox', '--port', 'abc'],
      ['sandbox', '--session-ttl', 'soon'],
      ['sandbox', '--faults', 'route=nowhere,status=500'],
      ['sandbox', '--faults', 'route=list,status=418'],
    ]) {
      const result = await runCli(args)
      expect(result.code, args.join(' ')).toBe(1)
      expect(isOneLineError(result.stderr), result.stderr).toBe(true)
    }
  })
})
