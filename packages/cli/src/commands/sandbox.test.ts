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

  test('prints one line per request on stderr; --cors answers a browser preflight', async () => {
    const child = startCli(['sandbox', '--port', '0', '--json', '--cors', 'http://localhost:5173'])
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    while (!stdout.trimEnd().endsWith('}')) await once(child.stdout, 'data')
    const { url } = JSON.parse(stdout)
    const preflight = await fetch(`${url}/api/external/jobs/list`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    const refused = await fetch(`${url}/api/external/jobs/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
      body: '{}',
    })
    expect(refused.status).toBe(400)
    expect(refused.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    while (!stderr.includes('EXTERNAL_REQUEST_INVALID')) await once(child.stderr, 'data')
    const lines = stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/external/jobs/list',
      status: 400,
      ms: expect.any(Number),
      error_code: 'EXTERNAL_REQUEST_INVALID',
    })
    child.kill('SIGINT')
    await once(child, 'close')
  })

  test('a port in use is a one-line error that names --port 0; --quiet prints no request lines', async () => {
    const child = startCli(['sandbox', '--port', '0', '--json', '--quiet'])
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    while (!stdout.trimEnd().endsWith('}')) await once(child.stdout, 'data')
    const { url, port } = JSON.parse(stdout)
    await fetch(`${url}/api/external/jobs/list`, { method: 'POST', body: '{}' })
    const taken = await runCli(['sandbox', '--port', String(port)])
    expect(taken.code).toBe(2)
    expect(isOneLineError(taken.stderr), taken.stderr).toBe(true)
    expect(taken.stderr).toContain(`port ${port}`)
    expect(taken.stderr).toContain('--port 0')
    child.kill('SIGINT')
    await once(child, 'close')
    expect(stderr).toBe('')
  })

  test('an unknown dialect is a one-line error naming the valid ones', async () => {
    const result = await runCli(['sandbox', '--port', '0', '--dialect', 'minimal,django'])
    expect(result.code).toBe(2)
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
      ['sandbox', '--port', '0', '--cors', 'localhost'],
    ]) {
      const result = await runCli(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(isOneLineError(result.stderr), result.stderr).toBe(true)
    }
  })
})
