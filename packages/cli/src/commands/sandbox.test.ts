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

  test('--dialect answers in the named dialects, in order', async () => {
    const child = startCli([
      'sandbox',
      '--port',
      '0',
      '--dialect',
      'expires-in-only,nulls-and-extras',
      '--json',
    ])
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    while (!stdout.trimEnd().endsWith('}')) await once(child.stdout, 'data')
    const { url, dialect, testWallets } = JSON.parse(stdout)
    expect(dialect).toEqual(['expires-in-only', 'nulls-and-extras'])
    const response = await fetch(`${url}/api/external/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ wallet_address: testWallets[0].address }),
    })
    const text = await response.text()
    expect(text).toContain('"expires_in":900.0')
    expect(text).not.toContain('expires_at')
    child.kill('SIGINT')
    const [code] = await once(child, 'close')
    expect(code).toBe(0)
  })

  test('an unknown dialect is a one-line error naming the valid ones', async () => {
    const result = await runCli(['sandbox', '--port', '0', '--dialect', 'minimal,django'])
    expect(result.code).toBe(1)
    expect(isOneLineError(result.stderr), result.stderr).toBe(true)
    expect(result.stderr).toContain("'django'")
    expect(result.stderr).toContain('python-timestamps, nulls-and-extras')
  })

  test('bad flags are one-line errors', async () => {
    for (const args of [
      ['sandbox', '--port', 'abc'],
      ['sandbox', '--session-ttl', 'soon'],
      ['sandbox', '--faults', 'route=nowhere,status=500'],
      ['sandbox', '--faults', 'route=list,status=418'],
      ['sandbox', '--port', '0', '--dialect', 'django'],
      ['sandbox', '--port', '0', '--dialect', 'minimal,,agent-skill'],
    ]) {
      const result = await runCli(args)
      expect(result.code, args.join(' ')).toBe(1)
      expect(isOneLineError(result.stderr), result.stderr).toBe(true)
    }
  })
})
